package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.schemas.LlmReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance through the whole gateway: teams and keys made with the admin API, a budget that 1,000
 * concurrent requests cannot overrun (checked against the mock provider's own bill), teams kept
 * apart, and a revoked key refused on HTTP and on the Kafka path.
 */
class GovernanceEndToEndTest {

  private static final long CAP_MICROS = 50_000; // $0.05
  private static final int CONCURRENT = 1_000;

  @TempDir Path dataDir;

  private final BearerHttp http = new BearerHttp();

  @Test
  void budgetsHoldKeysAreManagedAndTeamsStayApart() throws Exception {
    try (LocalStack stack =
        LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      Admin admin = new Admin(stack);

      HttpResponse<String> bad =
          admin.send("PUT", "/teams/acme", "{\"budgets\":[{\"period\":\"week\"}]}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(bad.body()).getJsonObject("error").getString("param"))
          .isEqualTo("budgets[0].period");
      assertThat(
              http.send("PUT", stack.apiUrl() + "/admin/teams/acme", stack.demoKey(), "{}")
                  .statusCode())
          .isEqualTo(401);

      assertThat(
              admin
                  .send(
                      "PUT",
                      "/teams/acme",
                      "{\"budgets\":[{\"period\":\"day\",\"hard_cap_usd\":\"0.05\"}]}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(admin.send("PUT", "/teams/beta", "{}").statusCode()).isEqualTo(200);
      JsonObject acmeKey = new JsonObject(admin.send("POST", "/teams/acme/keys", "").body());
      JsonObject betaKey = new JsonObject(admin.send("POST", "/teams/beta/keys", "").body());
      String acme = acmeKey.getString("secret");
      String beta = betaKey.getString("secret");
      JsonArray listed =
          new JsonObject(admin.send("GET", "/teams/acme/keys", null).body()).getJsonArray("data");
      assertThat(listed.encode()).doesNotContain(acme).doesNotContain("secret");

      // 1,000 requests at once against a $0.05 daily budget.
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      String prompt = "Summarise this. ".repeat(200);
      for (int i = 0; i < CONCURRENT; i++) {
        calls.add(
            http.client.sendAsync(
                chatRequest(stack, acme, "claude-3-5-haiku", prompt + i, 20),
                HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
      long served = 0;
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        HttpResponse<String> response = call.get();
        if (response.statusCode() == 200) {
          served++;
          continue;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
            .isEqualTo("budget_exceeded");
      }
      long billed = stack.mock().ledger().totalCostMicros();
      System.out.printf(
          "budget under %d concurrent requests: served %d, refused %d, billed %d of %d micro-USD,"
              + " overshoot %d%n",
          CONCURRENT,
          served,
          CONCURRENT - served,
          billed,
          CAP_MICROS,
          Math.max(0, billed - CAP_MICROS));
      assertThat(billed).as("the provider's bill").isLessThanOrEqualTo(CAP_MICROS);
      assertThat(billed).as("most of the budget was used").isGreaterThan(CAP_MICROS / 2);
      assertThat(stack.mock().ledger().entries()).hasSize((int) served);
      assertThat(served).isLessThan(CONCURRENT);

      // Each team sees its own usage only.
      assertThat(http.send("GET", stack.usageUrl() + "/teams/acme", beta, null).statusCode())
          .isEqualTo(404);
      awaitSpend(stack, acme, billed);

      // The Kafka path: a key in the record header; the router answers on the job's topic.
      try (KafkaJob job = new KafkaJob(stack, "llm-replies-beta-jobs")) {
        LlmReply ok = job.call(beta, "beta");
        assertThat(ok.getError()).isNull();
        assertThat(ok.getTeamId()).isEqualTo("beta");

        admin.send("POST", "/keys/" + betaKey.getString("id") + "/revoke", "");

        assertThat(job.call(beta, "beta").getError().getHttpStatus()).isEqualTo(401);
        assertThat(
                http.send(
                        "POST",
                        stack.apiUrl() + "/chat/completions",
                        beta,
                        chatBody("gpt-4o-mini", "Hi", 5))
                    .statusCode())
            .isEqualTo(401);
        assertThat(job.call(null, "beta").getError().getHttpStatus()).isEqualTo(401);
      }
    }
  }

  private JsonObject awaitSpend(LocalStack stack, String key, long expected) {
    return http.awaitTeamTotal(
        stack,
        "acme",
        key,
        t -> t.getLong("cost_micros", -1L) == expected,
        expected + " micro-USD");
  }

  private static String chatBody(String model, String text, int maxTokens) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", maxTokens)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)))
        .encode();
  }

  private static HttpRequest chatRequest(
      LocalStack stack, String key, String model, String text, int maxTokens) {
    return HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chatBody(model, text, maxTokens)))
        .build();
  }

  /** The admin API with the stack's admin token. */
  private final class Admin {
    private final LocalStack stack;

    Admin(LocalStack stack) {
      this.stack = stack;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
      return http.send(method, stack.apiUrl() + "/admin" + path, stack.adminToken(), body);
    }
  }
}
