package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.mock.LedgerEntry;
import dev.tollgate.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciliation test: traffic for two teams on three providers through the whole gateway, with
 * a third of provider calls failing (429, 500, 503: retried, some requests failing in the end),
 * then the aggregator's tables per team, per provider and per model against the mock provider's own
 * bill. They must agree to the micro-dollar and the token.
 */
class ReconciliationTest {

  @TempDir Path dataDir;

  private final BearerHttp http = new BearerHttp();

  @Test
  void theTablesMatchTheProvidersBillExactly() throws Exception {
    try (LocalStack stack =
        LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      String beta = http.newTeamKey(stack, "beta");
      stack
          .mock()
          .addFault(
              new JsonObject()
                  .put(
                      "error_rates",
                      new JsonObject().put("429", 0.1).put("500", 0.1).put("503", 0.15))
                  .put("retry_after_ms", 5));

      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(chat(stack, stack.demoKey(), i % 4 == 0 ? "gemini-2.0-flash" : "gpt-4o-mini", i));
        calls.add(chat(stack, beta, "claude-3-5-haiku", i));
      }
      Map<Integer, Integer> statuses = new HashMap<>();
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        statuses.merge(call.get().statusCode(), 1, Integer::sum);
      }
      // At these fault rates a burst can open a circuit or fail the router's health check: 503,
      // with no call made. What is billed is what the test checks.
      assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(200, 429, 502, 503);

      Map<String, Long> billedByProvider =
          stack.mock().ledger().entries().stream()
              .collect(
                  Collectors.groupingBy(
                      LedgerEntry::provider, Collectors.summingLong(LedgerEntry::costMicros)));
      long demoBill = billedByProvider.get("openai") + billedByProvider.get("gemini");
      long betaBill = billedByProvider.get("anthropic");

      JsonObject demo = awaitTotal(stack, "demo", stack.demoKey(), demoBill);
      JsonObject betaTotal = awaitTotal(stack, "beta", beta, betaBill);
      assertThat(demo.getLong("calls") + betaTotal.getLong("calls"))
          .isEqualTo(stack.mock().ledger().entries().size());

      // Tables are read as of each one's last commit: wait until the rows have the last calls too.
      JsonArray byProvider =
          awaitRows(stack, "/teams/demo?group_by=provider", stack.demoKey(), demo.getLong("calls"));
      Map<String, Long> tableByProvider = new HashMap<>();
      byProvider.forEach(
          o ->
              tableByProvider.put(
                  ((JsonObject) o).getString("provider"), ((JsonObject) o).getLong("cost_micros")));
      assertThat(tableByProvider)
          .containsEntry("openai", billedByProvider.get("openai"))
          .containsEntry("gemini", billedByProvider.get("gemini"));

      long billedOutput =
          stack.mock().ledger().entries().stream()
              .filter(e -> e.provider().equals("anthropic"))
              .mapToLong(e -> e.tokens().output())
              .sum();
      JsonObject haiku =
          awaitRows(stack, "/teams/beta?group_by=model", beta, betaTotal.getLong("calls"))
              .getJsonObject(0);
      assertThat(haiku.getString("model")).isEqualTo("claude-3-5-haiku");
      assertThat(haiku.getJsonObject("tokens").getLong("output")).isEqualTo(billedOutput);

      HttpResponse<String> csv = get(stack, "/teams/beta?group_by=day&format=csv", beta);
      assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv");
      assertThat(csv.body().lines().findFirst().orElseThrow()).startsWith("day,cost_micros,");

      JsonArray teams =
          new JsonObject(get(stack, "/teams", stack.adminToken()).body()).getJsonArray("data");
      assertThat(teams.stream().map(t -> ((JsonObject) t).getString("team")).toList())
          .contains("demo", "beta");
      assertThat(get(stack, "/teams", beta).statusCode()).isEqualTo(401);
      assertThat(
              new JsonObject(get(stack, "/deployments", stack.adminToken()).body())
                  .getJsonArray("data"))
          .isNotEmpty();
    }
  }

  private CompletableFuture<HttpResponse<String>> chat(
      LocalStack stack, String key, String model, int i) {
    return http.client.sendAsync(
        BearerHttp.chat(stack, key, model, i), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject awaitTotal(LocalStack stack, String team, String key, long expected) {
    return http.awaitTeamTotal(
        stack,
        team,
        key,
        t -> t.getLong("cost_micros", -1L) == expected && t.getLong("in_doubt_calls", -1L) == 0,
        team + " at " + expected + " micro-USD, none in doubt");
  }

  /** The rows {@code path} answers once they count {@code calls} calls. */
  private JsonArray awaitRows(LocalStack stack, String path, String key, long calls) {
    return Await.value(
        path + " to count " + calls + " calls",
        Duration.ofSeconds(10),
        () -> new JsonObject(get(stack, path, key).body()).getJsonArray("data"),
        rows -> rows.stream().mapToLong(o -> ((JsonObject) o).getLong("calls")).sum() == calls);
  }

  private HttpResponse<String> get(LocalStack stack, String path, String key) throws Exception {
    return http.send("GET", stack.usageUrl() + path, key, null);
  }
}
