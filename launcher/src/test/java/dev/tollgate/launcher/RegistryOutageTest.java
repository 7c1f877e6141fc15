package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.testkit.TopicReads;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry stopped mid-flow: records written with a schema the router has not seen yet
 * wait for it instead of being dead-lettered (and the requests behind them wait too), and when the
 * registry is back every request is answered and none is dead-lettered.
 */
class RegistryOutageTest {

  private static final String REPLIES = "llm-replies-demo-outage";
  private static final int DURING = 5;

  @TempDir Path dataDir;

  @Test
  void aRegistryOutageHoldsRecordsBackAndDeadLettersNone() throws Exception {
    try (LocalStack stack =
        LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      Properties props = new Properties();
      props.put("bootstrap.servers", stack.bootstrapServers());
      try (Admin admin = Admin.create(props)) {
        admin.createTopics(List.of(new NewTopic(REPLIES, 1, (short) 1))).all().get();
      }
      // A newer writer schema (one more optional field), registered before the outage: the
      // router has never resolved its id, so it needs the registry to read these records.
      HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(stack.registryUrl());
      Schema newer = newerWriterSchema();
      int id = registry.register("llm-requests-value", newer);
      AvroSerde<LlmRequest> current = new AvroSerde<>(registry, LlmRequest.class);
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < DURING; i++) {
        values.add(withWriter(id, current, "outage-" + i));
      }

      stack.stopRegistry();
      long outageStart = System.nanoTime();
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        for (byte[] value : values) {
          ProducerRecord<String, byte[]> record =
              new ProducerRecord<>("llm-requests", "demo", value);
          record
              .headers()
              .add(RequestHeaders.API_KEY, stack.demoKey().getBytes(StandardCharsets.UTF_8));
          producer.send(record).get();
        }
      }
      // An HTTP request meanwhile: its schemas are known, but it waits behind the records the
      // router's thread is holding for the registry (decision 0030), and is served after.
      CompletableFuture<HttpResponse<String>> http =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new BearerHttp()
                      .send(
                          "POST",
                          stack.apiUrl() + "/chat/completions",
                          stack.demoKey(),
                          "{\"model\":\"gpt-4o-mini\","
                              + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      awaitOutageOf(Duration.ofSeconds(10), outageStart);
      assertThat(http).as("held while the registry is down").isNotDone();
      stack.startRegistry();
      assertThat(http.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

      Set<String> answered = new HashSet<>();
      AvroSerde<LlmReply> replies = new AvroSerde<>(registry, LlmReply.class);
      for (ConsumerRecord<String, byte[]> r :
          TopicReads.read(props, REPLIES, DURING, Duration.ofSeconds(60))) {
        LlmReply reply = replies.deserialize(REPLIES, r.value());
        assertThat(reply.getError()).as(reply.getRequestId()).isNull();
        answered.add(reply.getRequestId());
      }
      assertThat(answered).hasSize(DURING);
      AvroSerde<DeadLetter> letters = new AvroSerde<>(registry, DeadLetter.class);
      assertThat(
              TopicReads.read(props, "llm-requests-dlq", Integer.MAX_VALUE, Duration.ofSeconds(3)))
          .as("nothing dead-lettered")
          .extracting(r -> letters.deserialize("llm-requests-dlq", r.value()).getReason())
          .isEmpty();
      assertThat(stack.isHealthy()).isTrue();
    }
  }

  /** Holds the outage for {@code length} from {@code start}: the point of the test. */
  private static void awaitOutageOf(Duration length, long start) throws InterruptedException {
    long left = start + length.toNanos() - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }

  /** LlmRequest's schema with one more optional field at the end, as a newer job might write. */
  private static Schema newerWriterSchema() {
    JsonObject json = new JsonObject(LlmRequest.getClassSchema().toString());
    json.getJsonArray("fields")
        .add(
            new JsonObject()
                .put("name", "job_note")
                .put("type", new JsonArray().add("null").add("string"))
                .putNull("default"));
    return new Schema.Parser().parse(json.encode());
  }

  /**
   * {@code id}'s wire format for a request: the current fields' Avro bytes, then the new optional
   * field's null (union branch 0, one zero byte).
   */
  private static byte[] withWriter(int id, AvroSerde<LlmRequest> current, String requestId) {
    Instant now = Instant.now();
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(requestId)
            .setTeamId("demo")
            .setKeyId("")
            .setModel("gpt-4o-mini")
            .setMessages(List.of(ChatMessage.newBuilder().setRole("user").setContent("Hi").build()))
            .setParams(GenerationParams.newBuilder().setMaxTokens(5).build())
            .setReplyTo(REPLIES)
            .setCreatedAt(now)
            .setDeadlineAt(now.plusSeconds(120))
            .build();
    byte[] encoded = current.serialize("llm-requests", request);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    out.write(encoded, 5, encoded.length - 5);
    out.write(0);
    return out.toByteArray();
  }
}
