package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.core.config.Settings;
import dev.tollgate.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async requests on the whole local stack: 202 with an id, 202 while pending, then the reply as the
 * synchronous call would answer it, posted to the callback URL too; another team's key gets 404;
 * past {@code ingest.async-max-held} requests held, 429.
 */
class AsyncRequestTest {

  @TempDir Path dataDir;

  private final BearerHttp http = new BearerHttp();

  @Test
  void acceptsAtOnceAndAnswersWhenReadyAndCallsBack() throws Exception {
    List<String[]> callbacks = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          callbacks.add(
              new String[] {
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
              });
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (LocalStack stack =
        LocalStack.start(
            Settings.empty().with("ingest.async-max-held", "2"),
            dataDir,
            LocalStack.Ports.ephemeral(),
            Map.of())) {
      stack.mock().setLatency(Duration.ofMillis(300));
      String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

      HttpResponse<String> accepted = post(stack, stack.demoKey(), hook);
      assertThat(accepted.statusCode()).isEqualTo(202);
      JsonObject ticket = new JsonObject(accepted.body());
      String id = ticket.getString("id");
      assertThat(ticket.getString("status")).isEqualTo("in_progress");
      assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/requests/" + id);

      HttpResponse<String> pending = get(stack, stack.demoKey(), id);
      assertThat(pending.statusCode()).isEqualTo(202);

      HttpResponse<String> done =
          Await.value(
              "the async reply",
              Duration.ofSeconds(30),
              () -> get(stack, stack.demoKey(), id),
              r -> r.statusCode() != 202);
      assertThat(done.statusCode()).isEqualTo(200);
      JsonObject completion = new JsonObject(done.body());
      assertThat(completion.getString("object")).isEqualTo("chat.completion");
      assertThat(
              completion
                  .getJsonArray("choices")
                  .getJsonObject(0)
                  .getJsonObject("message")
                  .getString("content"))
          .isEqualTo("Mock reply to: Later, please");

      Await.until("the callback", Duration.ofSeconds(30), () -> !callbacks.isEmpty());
      assertThat(callbacks).hasSize(1);
      assertThat(callbacks.get(0)[0]).isEqualTo(id);
      JsonObject posted = new JsonObject(callbacks.get(0)[1]);
      assertThat(posted.getInteger("status_code")).isEqualTo(200);
      assertThat(posted.getJsonObject("body").getString("id")).isEqualTo(id);

      assertThat(get(stack, http.newTeamKey(stack, "stranger"), id).statusCode()).isEqualTo(404);
      assertThat(get(stack, stack.demoKey(), "req_unknown").statusCode()).isEqualTo(404);
      assertThat(post(stack, stack.demoKey(), "file:///etc/passwd").statusCode()).isEqualTo(400);

      // ingest.async-max-held is 2: a second is taken, and once it is held a third is refused.
      String second = new JsonObject(post(stack, stack.demoKey(), hook).body()).getString("id");
      Await.until(
          "the second request to be held",
          Duration.ofSeconds(30),
          () -> get(stack, stack.demoKey(), second).statusCode() != 404);
      HttpResponse<String> third = post(stack, stack.demoKey(), hook);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).isPresent();
      assertThat(new JsonObject(third.body()).getJsonObject("error").getString("code"))
          .isEqualTo("too_many_async_requests");
    } finally {
      receiver.stop(0);
    }
  }

  private HttpResponse<String> post(LocalStack stack, String key, String callback)
      throws Exception {
    return http.client.send(
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .header("Prefer", "respond-async")
            .header("X-Tollgate-Callback-Url", callback)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"gpt-4o-mini\",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"Later, please\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(LocalStack stack, String key, String id) throws Exception {
    return http.send("GET", stack.apiUrl() + "/requests/" + id, key, null);
  }
}
