package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock over real HTTP: three wire formats, deterministic usage, faults, the ledger. */
class MockProviderTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private MockProvider mock;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    mock = MockProvider.start(vertx, MockPrices.bundled(), "127.0.0.1", 0, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    mock.close();
    vertx.close();
  }

  @Test
  void openAiReportsCachedTokensInsidePromptTokensAndReasoningInsideCompletion() throws Exception {
    String longPrompt = "x".repeat(8000); // 2000 tokens + 4 + 3 = 2007; half is 1003 -> 896 cached
    JsonObject body =
        post(
                "/openai/v1/chat/completions",
                "Authorization",
                "Bearer k",
                "{\"model\":\"o4-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + longPrompt
                    + "\"}]}")
            .getJsonObject("usage");

    assertThat(body.getLong("prompt_tokens")).isEqualTo(2007);
    assertThat(body.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isEqualTo(896);
    // "Mock reply to: " + 8000 chars = 8015 chars -> 2004 tokens; o4-mini reasons twice that.
    assertThat(body.getJsonObject("completion_tokens_details").getLong("reasoning_tokens"))
        .isEqualTo(4008);
    assertThat(body.getLong("completion_tokens")).isEqualTo(2004 + 4008);

    LedgerEntry billed = mock.ledger().entries().get(0);
    assertThat(billed.tokens().input()).isEqualTo(2007 - 896);
    assertThat(billed.tokens().cachedInput()).isEqualTo(896);
    // o4-mini: 1111 * 1.10 + 896 * 0.275 + 6012 * 4.40 = 1222.1 + 246.4 + 26452.8 = 27921.3
    assertThat(billed.costMicros()).isEqualTo(27_921);
  }

  @Test
  void anthropicNeedsItsHeadersAndMaxTokens() throws Exception {
    String request =
        "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":3,\"system\":\"Be brief.\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    assertThat(status("/anthropic/v1/messages", "x-api-key", "k", request)).isEqualTo(401);

    JsonObject answer =
        send(
            "/anthropic/v1/messages", request, "x-api-key", "k", "anthropic-version", "2023-06-01");

    assertThat(answer.getString("stop_reason")).isEqualTo("max_tokens");
    assertThat(answer.getJsonObject("usage").getLong("output_tokens")).isEqualTo(3);
    assertThat(answer.getJsonObject("usage").getLong("input_tokens")).isEqualTo(3 + 4 + 3 + 4 + 2);
    assertThat(
            send(
                    "/anthropic/v1/messages",
                    "{\"model\":\"claude-3-5-haiku-20241022\",\"messages\":[]}",
                    "x-api-key",
                    "k",
                    "anthropic-version",
                    "2023-06-01")
                .getJsonObject("error")
                .getString("type"))
        .isEqualTo("invalid_request_error");
  }

  @Test
  void azureServesDeploymentPathsWithAnApiKey() throws Exception {
    String path =
        "/openai/v1/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21";
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    assertThat(status(path, "Authorization", "Bearer k", body)).isEqualTo(401);
    JsonObject answer = send(path, body, "api-key", "k");

    assertThat(answer.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(mock.ledger().entries())
        .singleElement()
        .extracting(LedgerEntry::model)
        .isEqualTo("gpt-4o-mini");
  }

  @Test
  void geminiServesGenerateContent() throws Exception {
    JsonObject answer =
        post(
            "/gemini/v1/models/gemini-2.0-flash:generateContent",
            "x-goog-api-key",
            "k",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}");

    assertThat(answer.getJsonArray("candidates").getJsonObject(0).getString("finishReason"))
        .isEqualTo("STOP");
    assertThat(answer.getJsonObject("usageMetadata").getLong("promptTokenCount")).isEqualTo(8);
    assertThat(mock.ledger().entries())
        .singleElement()
        .extracting(LedgerEntry::provider)
        .isEqualTo("gemini");
  }

  @Test
  void injectedFaultsAreAnsweredAndNotBilled() throws Exception {
    post(
        "/_mock/faults",
        "x",
        "y",
        "{\"model\":\"gpt-4o-mini\",\"error_rates\":{\"429\":1.0},\"retry_after_ms\":1500}");
    HttpResponse<String> limited =
        raw("/openai/v1/chat/completions", chat("gpt-4o-mini"), "Authorization", "Bearer k");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after-ms")).contains("1500");
    assertThat(limited.headers().firstValue("retry-after")).contains("2");
    assertThat(status("/openai/v1/chat/completions", "Authorization", "Bearer k", chat("gpt-4o")))
        .isEqualTo(200);

    post("/_mock/faults", "x", "y", "{\"provider\":\"openai\",\"outage_ms\":60000}");
    assertThat(status("/openai/v1/chat/completions", "Authorization", "Bearer k", chat("gpt-4o")))
        .isEqualTo(503);

    post("/_mock/faults", "x", "y", "{\"error_rates\":{\"malformed\":1.0}}");
    assertThat(
            raw("/openai/v1/chat/completions", chat("gpt-4o"), "Authorization", "Bearer k").body())
        .startsWith("<html>");

    assertThat(mock.ledger().entries()).hasSize(1);
    assertThat(raw("/_mock/faults", "{\"error_rates\":{\"418\":0.5}}").statusCode()).isEqualTo(400);
    mock.clearFaults();
    assertThat(status("/openai/v1/chat/completions", "Authorization", "Bearer k", chat("gpt-4o")))
        .isEqualTo(200);
  }

  @Test
  void unknownModelsAre404InTheProvidersShape() throws Exception {
    JsonObject error =
        post("/openai/v1/chat/completions", "Authorization", "Bearer k", chat("gpt-9"));
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("model_not_found");
    assertThat(mock.ledger().entries()).isEmpty();
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private JsonObject post(String path, String header, String value, String body) throws Exception {
    return send(path, body, header, value);
  }

  private JsonObject send(String path, String body, String... headers) throws Exception {
    return new JsonObject(raw(path, body, headers).body());
  }

  private int status(String path, String header, String value, String body) throws Exception {
    return raw(path, body, header, value).statusCode();
  }

  private HttpResponse<String> raw(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mock.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
