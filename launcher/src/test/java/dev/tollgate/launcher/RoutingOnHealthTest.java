package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway on a real broker: failing one deployment through the mock's fault endpoint
 * moves the router's traffic away from it within seconds, and healing it brings traffic back.
 */
class RoutingOnHealthTest {

  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void trafficMovesAwayFromAFailingDeploymentAndComesBack() throws Exception {
    Settings settings =
        Settings.empty()
            .with("workers.retry.initial-backoff", "5ms")
            .with("workers.retry.max-backoff", "20ms")
            .with("workers.circuit.minimum-calls", "1000");
    try (LocalStack stack =
        LocalStack.start(settings, dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      // "fast" is ordered: gemini-2.0-flash first, then openai-gpt-4o-mini, then claude.
      assertThat(header(send(stack, 0), "x-tollgate-deployment")).isEqualTo("gemini-2.0-flash");

      stack
          .mock()
          .addFault(
              new JsonObject()
                  .put("provider", "gemini")
                  .put("error_rates", new JsonObject().put("503", 1.0)));
      long away = timeUntil(stack, r -> reason(r).startsWith("ordered: openai-gpt-4o-mini"));
      System.out.printf("traffic moved away from the failing deployment in %d ms%n", away);
      assertThat(away).isLessThan(10_000);

      stack.mock().clearFaults();
      long back =
          timeUntil(
              stack,
              r ->
                  reason(r).startsWith("ordered: gemini-2.0-flash")
                      && !reason(r).contains("probing"));
      // Probes (one request in ten) see it heal; once its recent calls are mostly good again,
      // it is the primary for every request.
      System.out.printf("traffic came back to the healed deployment in %d ms%n", back);
      assertThat(back).isLessThan(30_000);
    }
  }

  /** Sends requests until one answers as {@code done} says; the time it took, in ms. */
  private long timeUntil(LocalStack stack, Predicate<HttpResponse<String>> done) throws Exception {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(60).toNanos();
    for (int i = 1; System.nanoTime() < deadline; i++) {
      HttpResponse<String> response = send(stack, i);
      assertThat(response.statusCode()).isEqualTo(200);
      if (done.test(response)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    throw new AssertionError("traffic did not move within 60 s");
  }

  private HttpResponse<String> send(LocalStack stack, int i) throws Exception {
    String body =
        new JsonObject()
            .put("model", "fast")
            .put(
                "messages",
                new io.vertx.core.json.JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "ping " + i)))
            .encode();
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + stack.demoKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String reason(HttpResponse<String> response) {
    return header(response, "x-tollgate-route-reason");
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }
}
