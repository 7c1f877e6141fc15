package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker killed mid-flow (a process of its own): ingest-api answers 503 with Retry-After within
 * seconds instead of holding requests, {@code /health} keeps answering and says why it is not
 * ready, and once the broker is back requests are served again without a restart.
 */
class BrokerOutageTest {

  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @TempDir Path dataDir;

  @Test
  void ingestAnswers503QuicklyWhileTheBrokerIsDownAndServesAgainWhenItIsBack() throws Exception {
    BearerHttp http = new BearerHttp();
    try (LocalStack stack =
        LocalStack.start(
            Settings.empty().with("local.broker", "process"),
            dataDir,
            LocalStack.Ports.ephemeral(),
            Map.of())) {
      String url = stack.apiUrl() + "/chat/completions";
      String health = stack.apiUrl().replace("/v1", "/health");
      assertThat(http.send("POST", url, stack.demoKey(), CHAT).statusCode()).isEqualTo(200);

      stack.killBroker();
      long t0 = System.nanoTime();
      HttpResponse<String> refused = http.send("POST", url, stack.demoKey(), CHAT);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("broker down: %d after %d ms%n", refused.statusCode(), took.toMillis());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(took).isLessThan(Duration.ofSeconds(8));
      // Now that Kafka is known to be down, refusals are at once (one request probes at a time).
      long t1 = System.nanoTime();
      assertThat(http.send("POST", url, stack.demoKey(), CHAT).statusCode()).isEqualTo(503);
      System.out.printf(
          "broker known down: 503 after %d ms%n", (System.nanoTime() - t1) / 1_000_000);

      HttpResponse<String> down = get(http, health);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(down.body()).getJsonArray("problems").encode())
          .contains("kafka not accepting requests");

      stack.startBroker();
      Await.until(
          "serving again after the broker came back",
          Duration.ofSeconds(60),
          () -> http.send("POST", url, stack.demoKey(), CHAT).statusCode() == 200);
      assertThat(get(http, health).statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(BearerHttp http, String url) throws Exception {
    return http.client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
