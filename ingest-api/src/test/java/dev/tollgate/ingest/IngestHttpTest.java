package dev.tollgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topics;
import dev.tollgate.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real HTTP server on port 0 with the production routes, over a mock producer: every bad input
 * gets an OpenAI error object with the right status, and a good one is published and answered from
 * its reply.
 */
class IngestHttpTest {

  private static final String KEY = "tg-test-key";
  private static final int MAX_WAITING = 2;

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private HttpServer server;
  private MockProducer<String, SpecificRecord> producer;
  private PendingReplies pending;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    producer =
        new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    pending = new PendingReplies();
    IngestConfig config =
        new IngestConfig(
            0,
            4096,
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            "test",
            30,
            MAX_WAITING,
            1_000,
            Duration.ofSeconds(5),
            1024);
    ModelCatalog catalog = ModelCatalog.load(Settings.empty());
    ApiEndpoint chat =
        new ApiEndpoint(
            config,
            () -> catalog,
            producer,
            Topics.standard(),
            "llm-replies-test",
            pending,
            vertx,
            Clock.systemUTC(),
            null,
            new KafkaGate(1_000, Clock.systemUTC()));
    GatewayConfigView keys =
        new GatewayConfigView(
            GatewayKeys.from(Settings.empty()).with("k1", "team-a", KEY), catalog);
    server =
        HttpService.listen(
            vertx,
            IngestRoutes.router(vertx, config, keys, chat, null, null, Clock.systemUTC(), r -> {}),
            "127.0.0.1",
            0);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void publishesTheRequestAndAnswersWithItsReply() throws Exception {
    var future =
        http.sendAsync(
            post("/v1/chat/completions", KEY, chat("gpt-4o-mini")),
            HttpResponse.BodyHandlers.ofString());
    LlmRequest published = awaitPublished();
    assertThat(published.getTeamId()).isEqualTo("team-a");
    assertThat(published.getKeyId()).isEqualTo("k1");
    assertThat(published.getReplyTo()).isEqualTo("llm-replies-test");
    assertThat(producer.history().get(0).key()).isEqualTo("team-a");
    assertThat(producer.history().get(0).topic()).isEqualTo("llm-requests");

    pending.complete(reply(published.getRequestId()));

    HttpResponse<String> response = future.get();
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("id")).isEqualTo(published.getRequestId());
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(12);
    assertThat(
            body.getJsonObject("usage")
                .getJsonObject("prompt_tokens_details")
                .getInteger("cached_tokens"))
        .isEqualTo(2);
    assertThat(response.headers().firstValue("x-tollgate-provider")).contains("openai");
  }

  @Test
  void pastTheBoundOnRequestsWaitingForRepliesA429() throws Exception {
    for (int i = 0; i < MAX_WAITING; i++) {
      http.sendAsync(
          post("/v1/chat/completions", KEY, chat("gpt-4o-mini")),
          HttpResponse.BodyHandlers.ofString());
    }
    Await.until(
        MAX_WAITING + " requests waiting",
        Duration.ofSeconds(10),
        () -> pending.size() >= MAX_WAITING);
    HttpResponse<String> refused = send(post("/v1/chat/completions", KEY, chat("gpt-4o-mini")));
    assertError(refused, 429, "too_many_waiting");
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void badInputGetsOpenAiErrors() throws Exception {
    assertError(
        send(post("/v1/chat/completions", null, chat("gpt-4o-mini"))), 401, "invalid_api_key");
    assertError(
        send(post("/v1/chat/completions", "tg-wrong", chat("gpt-4o-mini"))),
        401,
        "invalid_api_key");
    assertError(send(post("/v1/chat/completions", KEY, "{\"model\": ")), 400, null);
    assertError(send(post("/v1/chat/completions", KEY, chat("gpt-9"))), 404, "model_not_found");
    assertError(
        send(
            post(
                "/v1/chat/completions",
                KEY,
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")),
        400,
        null);
    assertError(
        send(
            post("/v1/chat/completions", KEY, chat("gpt-4o-mini").replace("Hi", "x".repeat(5000)))),
        413,
        "request_too_large");
    assertError(send(post("/v1/nowhere", KEY, "{}")), 404, "unknown_url");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void noReplyBeforeTheDeadlineIs504() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + KEY)
            .header(ApiEndpoint.TIMEOUT_HEADER, "200")
            .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o-mini")))
            .build();

    assertError(send(request), 504, "deadline_exceeded");
    assertThat(pending.size()).isZero();
  }

  @Test
  void listsModels() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/models"))
                .header("Authorization", "Bearer " + KEY)
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            new JsonObject(response.body())
                .getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")).toList())
        .contains("gpt-4o-mini", "cheap-chat");
  }

  @Test
  void sendsTheKeyHashOnAndPassesRateLimitHeadersBack() throws Exception {
    var future =
        http.sendAsync(
            post("/v1/chat/completions", KEY, chat("gpt-4o-mini")),
            HttpResponse.BodyHandlers.ofString());
    LlmRequest published = awaitPublished();
    assertThat(
            new String(
                producer.history().get(0).headers().lastHeader(RequestHeaders.KEY_SHA256).value(),
                StandardCharsets.UTF_8))
        .isEqualTo(KeyHash.sha256(KEY));
    assertThat(producer.history().get(0).headers().lastHeader(RequestHeaders.API_KEY)).isNull();

    ReplyError limited =
        Replies.errorOf(429, "rate_limit_error", "rate_limit_exceeded", "Slow down.", null);
    limited.setRetryAfterMs(1_500L);
    limited.setHeaders(Map.of("x-ratelimit-limit-requests", "2"));
    pending.complete(Replies.error(published, limited, List.of(), Instant.now()));

    HttpResponse<String> response = future.get();
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).contains("2");
    assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
        .isEqualTo("rate_limit_exceeded");
  }

  private LlmRequest awaitPublished() throws InterruptedException {
    Await.until("a request sent", Duration.ofSeconds(10), () -> !producer.history().isEmpty());
    return (LlmRequest) producer.history().get(0).value();
  }

  private static LlmReply reply(String requestId) {
    return LlmReply.newBuilder()
        .setRequestId(requestId)
        .setTeamId("team-a")
        .setCompletion(
            Completion.newBuilder()
                .setId("x")
                .setCreated(1)
                .setModel("gpt-4o-mini")
                .setChoices(List.of())
                .build())
        .setUsage(
            TokenUsage.newBuilder()
                .setInputTokens(10)
                .setCachedInputTokens(2)
                .setOutputTokens(5)
                .build())
        .setProvider("openai")
        .setDeploymentId("openai-gpt-4o-mini")
        .setRepliedAt(Instant.now())
        .build();
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isNotBlank();
    assertThat(error.getString("code")).isEqualTo(code);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest post(String path, String key, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return builder.build();
  }

  private String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private static String chat(String model) {
    return new JsonObject(
            Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "Hi"))))
        .encode();
  }
}
