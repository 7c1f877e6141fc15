package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.testkit.TopicReads;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request parameters, content parts and response formats through the official OpenAI SDK and the
 * whole stack: each reaches a provider that honours it, in the field that provider's model wants
 * (the mock refuses as OpenAI does), or is refused with a 400 naming it; none is dropped on the
 * way.
 */
class WholeRequestTest {

  @TempDir static Path dataDir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalStack stack;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of());
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(stack.apiUrl())
            .apiKey(stack.demoKey())
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi");
  }

  @Test
  void aReasoningModelGetsItsOutputCapAsMaxCompletionTokensWithItsEffort() {
    // The mock, like OpenAI, answers 400 to max_tokens on an o-series model.
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                ask("o4-mini")
                    .maxCompletionTokens(50)
                    .reasoningEffort(ReasoningEffort.LOW)
                    .build());

    assertThat(answer.choices().get(0).message().content()).contains("Mock reply to: Hi");
  }

  /**
   * Anthropic thinks on a budget: the mock, like Anthropic, refuses a budget not under max_tokens,
   * a temperature or a forced tool beside it, and answers with a thinking block the reply leaves
   * out.
   */
  @Test
  void aReasoningEffortIsAnAnthropicThinkingBudget() {
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(ask("claude-sonnet-4").reasoningEffort(ReasoningEffort.LOW).build());
    assertThat(answer.choices().get(0).message().content()).contains("Mock reply to: Hi");
    assertThat(answer.usage().orElseThrow().completionTokens()).isGreaterThan(5);

    assertRefused(
        ask("claude-sonnet-4").reasoningEffort(ReasoningEffort.LOW).maxCompletionTokens(500),
        "reasoning_effort");
    assertRefused(
        ask("claude-sonnet-4").reasoningEffort(ReasoningEffort.LOW).temperature(0.2),
        "temperature");
    assertRefused(ask("claude-3-5-haiku").reasoningEffort(ReasoningEffort.LOW), "reasoning_effort");
  }

  @Test
  void aParameterNoDeploymentOfTheModelTakesIsRefusedByName() {
    assertRefused(ask("gpt-4o-mini").reasoningEffort(ReasoningEffort.LOW), "reasoning_effort");
    assertRefused(ask("o4-mini").temperature(0.5), "temperature");
    assertRefused(ask("claude-sonnet-4").logprobs(true), "logprobs");
    assertRefused(ask("claude-sonnet-4").seed(7L), "seed");
  }

  /**
   * A Pydantic-style schema ({@code $schema}, {@code additionalProperties: false}, a nullable type)
   * reaches Gemini in its schema subset: the mock, like Gemini, answers 400 to a field outside it.
   * A schema that has no faithful equivalent is refused before any call.
   */
  @Test
  void toolsAndJsonSchemasReachGeminiInItsSchemaSubset() throws Exception {
    String schema =
        "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
            + "\"additionalProperties\":false,\"properties\":{\"city\":{\"type\":[\"string\",\"null\"]}}}";
    String body =
        "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"where\",\"parameters\":"
            + schema
            + "}}],\"tool_choice\":\"auto\",\"response_format\":{\"type\":\"json_schema\","
            + "\"json_schema\":{\"name\":\"w\",\"strict\":true,\"schema\":"
            + schema
            + "}}}";
    assertThat(post(body).statusCode()).isEqualTo(200);

    HttpResponse<String> refused =
        post(body.replace("\"additionalProperties\":false", "\"not\":{\"type\":\"null\"}"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("unsupported_parameter").contains("$.not");
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return new BearerHttp()
        .send("POST", stack.apiUrl() + "/chat/completions", stack.demoKey(), body);
  }

  /** The one parameter safe to drop, dropped only where the API has no field for it, is named. */
  @Test
  void aDroppedParameterIsNamedInTheReply() throws Exception {
    String body =
        "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
            + "\"user\":\"end-user-7\"}";
    HttpResponse<String> gemini = post(String.format(body, "gemini-2.5-flash"));
    assertThat(gemini.statusCode()).isEqualTo(200);
    assertThat(gemini.headers().firstValue("x-tollgate-dropped-params")).contains("user");
    HttpResponse<String> openAi = post(String.format(body, "gpt-4o-mini"));
    assertThat(openAi.headers().firstValue("x-tollgate-dropped-params")).isEmpty();
  }

  /** Anthropic answers JSON mode through a forced tool; its input comes back as the content. */
  @Test
  void jsonModeOnAnthropicIsAForcedToolAnsweredAsContent() throws Exception {
    HttpResponse<String> answer =
        post(
            "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"response_format\":{\"type\":\"json_object\"}}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode message = JSON.readTree(answer.body()).at("/choices/0/message");
    assertThat(JSON.readTree(message.path("content").asText()).path("answer").asText())
        .isEqualTo("Mock reply to: Hi");
    assertThat(message.has("tool_calls")).isFalse();

    HttpResponse<String> withTools =
        post(
            "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"response_format\":{\"type\":\"json_object\"},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
    assertThat(withTools.statusCode()).isEqualTo(400);
    assertThat(withTools.body()).contains("response_format").contains("forced tool");
  }

  /**
   * An image by URL through the SDK to OpenAI, inline images (data URLs) to Anthropic and Gemini:
   * each provider's mock checks the block shapes its API documents. A part a provider cannot take
   * is refused naming the part.
   */
  @Test
  void imagesReachEveryProviderInItsShape() throws Exception {
    ChatCompletion byUrl =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessageOfArrayOfContentParts(
                        List.of(
                            ChatCompletionContentPart.ofText(
                                ChatCompletionContentPartText.builder()
                                    .text("What is it?")
                                    .build()),
                            ChatCompletionContentPart.ofImageUrl(
                                ChatCompletionContentPartImage.builder()
                                    .imageUrl(
                                        ChatCompletionContentPartImage.ImageUrl.builder()
                                            .url("https://example.com/cat.png")
                                            .detail(
                                                ChatCompletionContentPartImage.ImageUrl.Detail.LOW)
                                            .build())
                                    .build())))
                    .build());
    assertThat(byUrl.choices()).hasSize(1);

    for (String model : new String[] {"claude-sonnet-4", "gemini-2.5-flash"}) {
      HttpResponse<String> inline = post(imageRequest(model, "data:image/png;base64,iVBORw0KGgo="));
      assertThat(inline.statusCode()).as(model + ": " + inline.body()).isEqualTo(200);
    }
    HttpResponse<String> urlToGemini =
        post(imageRequest("gemini-2.5-flash", "https://example.com/cat.png"));
    assertThat(urlToGemini.statusCode()).isEqualTo(400);
    assertThat(urlToGemini.body()).contains("messages[0].content[1]").contains("not by URL");
  }

  private static String imageRequest(String model, String url) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\""
        + url
        + "\"}}]}]}";
  }

  /**
   * A backend job of the previous release writes requests in the contract it knows: without content
   * parts and the newer parameters. Such a record decodes and is served.
   */
  @Test
  void aRecordWrittenBeforeTheContractChangeIsServed() throws Exception {
    Schema before = contractBeforeParts();
    HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(stack.registryUrl());
    int id = registry.register("llm-requests-value", before);
    Schema message = before.getField("messages").schema().getElementType();
    Schema params = before.getField("params").schema();
    GenericRecord request = new GenericData.Record(before);
    request.put("request_id", "written-before-parts");
    request.put("team_id", "demo");
    request.put("key_id", "");
    request.put("model", "gpt-4o-mini");
    GenericRecord hi = new GenericData.Record(message);
    hi.put("role", "user");
    hi.put("content", "Hi from an older job");
    hi.put("tool_calls", List.of());
    request.put("messages", List.of(hi));
    GenericRecord p = new GenericData.Record(params);
    p.put("stop", List.of());
    request.put("params", p);
    request.put("metadata", Map.of());
    request.put("reply_to", "llm-replies-demo-older");
    Instant now = Instant.now();
    request.put("created_at", now.toEpochMilli());
    request.put("deadline_at", now.plusSeconds(60).toEpochMilli());
    request.put(
        "priority",
        new GenericData.EnumSymbol(before.getField("priority").schema(), "INTERACTIVE"));

    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic("llm-replies-demo-older", 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>("llm-requests", "demo", wire(id, before, request));
      record
          .headers()
          .add(RequestHeaders.API_KEY, stack.demoKey().getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    AvroSerde<LlmReply> replies = new AvroSerde<>(registry, LlmReply.class);
    List<ConsumerRecord<String, byte[]>> answered =
        TopicReads.read(props, "llm-replies-demo-older", 1, Duration.ofSeconds(30));
    assertThat(answered).hasSize(1);
    LlmReply reply = replies.deserialize("llm-replies-demo-older", answered.get(0).value());
    assertThat(reply.getError()).isNull();
    assertThat(reply.getCompletion().getChoices().get(0).getMessage().getContent())
        .contains("Hi from an older job");
  }

  /** The request contract of the release before content parts and the newer parameters. */
  private static Schema contractBeforeParts() {
    JsonObject json = new JsonObject(LlmRequest.getClassSchema().toString());
    for (Object f : json.getJsonArray("fields")) {
      JsonObject field = (JsonObject) f;
      if ("messages".equals(field.getString("name"))) {
        JsonObject message = field.getJsonObject("type").getJsonObject("items");
        message
            .getJsonArray("fields")
            .getList()
            .removeIf(m -> "parts".equals(((Map<?, ?>) m).get("name")));
      }
      if ("params".equals(field.getString("name"))) {
        Set<String> newer =
            Set.of(
                "parallel_tool_calls",
                "reasoning_effort",
                "logprobs",
                "top_logprobs",
                "service_tier");
        field
            .getJsonObject("type")
            .getJsonArray("fields")
            .getList()
            .removeIf(m -> newer.contains(((Map<?, ?>) m).get("name")));
      }
    }
    return new Schema.Parser().parse(json.encode());
  }

  private static byte[] wire(int id, Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void aParameterTollgateDoesNotKnowIsRefusedAsOpenAiRefusesIt() {
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ask("gpt-4o-mini")
                            .putAdditionalBodyProperty("temprature", JsonValue.from(1))
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Unrecognized request argument supplied: temprature");
  }

  @Test
  void aReplyServedByAnthropicOrGeminiSaysWhenItWasCreated() {
    long before = java.time.Instant.now().getEpochSecond();
    for (String model : new String[] {"claude-sonnet-4", "gemini-2.5-flash"}) {
      assertThat(client.chat().completions().create(ask(model).build()).created())
          .as(model)
          .isBetween(before - 1, before + 60);
    }
  }

  private static void assertRefused(ChatCompletionCreateParams.Builder params, String param) {
    assertThatThrownBy(() -> client.chat().completions().create(params.build()))
        .as(param)
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains("'" + param + "'");
              assertThat(e.body().toString()).contains("unsupported_parameter");
            });
  }
}
