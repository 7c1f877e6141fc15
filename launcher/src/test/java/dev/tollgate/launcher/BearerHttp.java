package dev.tollgate.launcher;

import dev.tollgate.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * HTTP/1.1 calls with a bearer key to a local stack's APIs, for the end-to-end tests: one
 * connection per request in flight, so a burst of requests is truly at once.
 */
final class BearerHttp {

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** {@code method url} with {@code key} and a JSON {@code body} (none when null). */
  HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A chat completion of {@code model} asking "Question {@code i}", at most 50 tokens back. */
  static HttpRequest chat(LocalStack stack, String key, String model, int i) {
    String body =
        new JsonObject()
            .put("model", model)
            .put("max_tokens", 50)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "Question " + i)))
            .encode();
    return HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /**
   * Team {@code team}'s all-time total from the usage API, asked with {@code key}, once {@code
   * done} accepts it (30 s bound).
   */
  JsonObject awaitTeamTotal(
      LocalStack stack, String team, String key, Predicate<JsonObject> done, String what) {
    return Await.value(
        what + " in the usage API",
        Duration.ofSeconds(30),
        () -> {
          HttpResponse<String> response =
              send("GET", stack.usageUrl() + "/teams/" + team, key, null);
          return response.statusCode() == 200 ? new JsonObject(response.body()) : new JsonObject();
        },
        done);
  }

  /** Creates team {@code team} with the admin API and returns the secret of a new key of it. */
  String newTeamKey(LocalStack stack, String team) throws Exception {
    return newTeamKey(stack, team, "{}");
  }

  /** As {@link #newTeamKey(LocalStack, String)}, the team set to {@code teamJson}. */
  String newTeamKey(LocalStack stack, String team, String teamJson) throws Exception {
    HttpResponse<String> put =
        send("PUT", stack.apiUrl() + "/admin/teams/" + team, stack.adminToken(), teamJson);
    if (put.statusCode() != 200) {
      throw new IllegalStateException("PUT team " + team + ": " + put.body());
    }
    return new JsonObject(
            send("POST", stack.apiUrl() + "/admin/teams/" + team + "/keys", stack.adminToken(), "")
                .body())
        .getString("secret");
  }
}
