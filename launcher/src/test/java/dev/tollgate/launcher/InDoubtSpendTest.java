package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls whose outcome Tollgate never learns, through the whole gateway: the provider answers after
 * the worker's call timeout and bills each call anyway, as real providers do. Each such call stays
 * in doubt at its worst case: the usage API shows it beside the billed spend, so the provider's
 * bill lies between billed and billed plus in doubt, and the team's budget keeps it charged, so a
 * request that would pass the cap with it is refused.
 */
class InDoubtSpendTest {

  private static final int REQUESTS = 4;

  @TempDir Path dataDir;

  private final BearerHttp http = new BearerHttp();

  @Test
  void unansweredCallsCountAtTheirWorstCaseInSpendAndBudgets() throws Exception {
    Settings settings = Settings.empty().with("workers.call-timeout", "200ms");
    try (LocalStack stack =
        LocalStack.start(settings, dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      assertThat(budget(stack, "1.00").statusCode()).isEqualTo(200);
      String key =
          new JsonObject(admin(stack, "POST", "/teams/acme/keys", "").body()).getString("secret");
      stack.mock().setLatency(Duration.ofMillis(600));

      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        calls.add(
            http.client.sendAsync(
                chat(stack, key, "gpt-4o-mini", i), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        assertThat(call.get().statusCode()).as(call.get().body()).isNotEqualTo(200);
      }
      // The mock bills each abandoned call when its latency is up.
      JsonObject total = awaitSettled(stack, key);
      long bill = stack.mock().ledger().totalCostMicros();
      long billedCalls = stack.mock().ledger().entries().size();
      long inDoubt = total.getLong("in_doubt_micros");
      System.out.printf(
          "in doubt: %d calls billed %d micro-USD by the provider; Tollgate billed %d, in doubt %d"
              + " (%d calls)%n",
          billedCalls,
          bill,
          total.getLong("cost_micros"),
          inDoubt,
          total.getLong("in_doubt_calls"));
      assertThat(bill).isPositive();
      assertThat(total.getLong("cost_micros")).isZero();
      assertThat(total.getLong("in_doubt_calls")).isEqualTo(billedCalls);
      assertThat(inDoubt)
          .as("the provider's bill lies within billed + in doubt")
          .isBetween(bill, 100 * bill);

      // A cap one micro-dollar above what is in doubt: the next request does not fit, on another
      // provider too (the timed-out deployment's circuit is open by now).
      assertThat(budget(stack, BigDecimal.valueOf(inDoubt + 1, 6).toPlainString()).statusCode())
          .isEqualTo(200);
      HttpResponse<String> refused =
          http.client.send(
              chat(stack, key, "claude-3-5-haiku", 99), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
      assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("message"))
          .contains("in doubt (calls whose outcome is unknown) $" + BigDecimal.valueOf(inDoubt, 6));
    }
  }

  /** The team total once every call the mock billed is in the usage API, in doubt. */
  private JsonObject awaitSettled(LocalStack stack, String key) {
    return http.awaitTeamTotal(
        stack,
        "acme",
        key,
        t ->
            t.getLong("in_doubt_calls", 0L) > 0
                && t.getLong("in_doubt_calls") == stack.mock().ledger().entries().size(),
        "the in-doubt calls to match the provider's");
  }

  private HttpResponse<String> budget(LocalStack stack, String capUsd) throws Exception {
    return admin(
        stack,
        "PUT",
        "/teams/acme",
        new JsonObject()
            .put(
                "budgets",
                new JsonArray()
                    .add(new JsonObject().put("period", "day").put("hard_cap_usd", capUsd)))
            .encode());
  }

  private HttpResponse<String> admin(LocalStack stack, String method, String path, String body)
      throws Exception {
    return http.send(method, stack.apiUrl() + "/admin" + path, stack.adminToken(), body);
  }

  /** A chat completion with a 3 s deadline, so the test never waits on the slow provider long. */
  private static HttpRequest chat(LocalStack stack, String key, String model, int i) {
    return HttpRequest.newBuilder(BearerHttp.chat(stack, key, model, i), (name, value) -> true)
        .header("X-Tollgate-Timeout-Ms", "3000")
        .build();
  }
}
