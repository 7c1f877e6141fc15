package dev.tollgate.usage;

import dev.tollgate.platform.auth.ApiKey;
import dev.tollgate.platform.auth.GatewayKeys;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /v1/usage/teams/{team}}: a team's total spend. A gateway key sees only its own team
 * (another team answers 404, as if it did not exist); the admin token sees every team.
 */
final class UsageHttp {

  private final UsageQueries queries;
  private final GatewayConfigView keys;

  UsageHttp(UsageQueries queries, GatewayConfigView keys) {
    this.queries = queries;
    this.keys = keys;
  }

  void mount(Router router) {
    router.get("/v1/usage/teams/:team").handler(this::teamTotal);
  }

  private void teamTotal(RoutingContext ctx) {
    String team = ctx.pathParam("team");
    Optional<String> secret = GatewayKeys.bearer(ctx.request().getHeader("Authorization"));
    if (secret.isEmpty()) {
      OpenAiError.unauthorized("Missing bearer key.").send(ctx);
      return;
    }
    boolean admin = keys.isAdmin(secret.get());
    Optional<ApiKey> key =
        admin ? Optional.empty() : keys.authenticate(secret.get(), Instant.now());
    if (!admin && key.isEmpty()) {
      OpenAiError.unauthorized("Incorrect API key provided.").send(ctx);
      return;
    }
    if (!admin && !key.get().teamId().equals(team)) {
      OpenAiError.notFound("team_not_found", "No usage for team '" + team + "'.", "team").send(ctx);
      return;
    }
    // Queries read RocksDB and may fetch a schema from the registry: off the event loop.
    ctx.vertx()
        .executeBlocking(
            () ->
                toJson(team, queries.teamTotal(team).orElseGet(SpendAggregator::empty))
                    .put("in_doubt_calls", queries.inDoubtCalls(team)))
        .onSuccess(
            body -> ctx.response().putHeader("Content-Type", "application/json").end(body.encode()))
        .onFailure(
            e -> {
              if (e instanceof UsageQueries.Unavailable) {
                new OpenAiError(503, "service_unavailable", "usage_not_ready", e.getMessage(), null)
                    .send(ctx);
              } else {
                ctx.fail(e);
              }
            });
  }

  static JsonObject toJson(String team, TeamSpend spend) {
    TokenUsage u = spend.getUsage();
    return new JsonObject()
        .put("team", team)
        .put("cost_micros", spend.getCostMicros())
        .put("cost_usd", BigDecimal.valueOf(spend.getCostMicros(), 6).toPlainString())
        .put("calls", spend.getCalls())
        .put("cache_hits", spend.getCacheHits())
        .put(
            "tokens",
            new JsonObject()
                .put("input", u.getInputTokens())
                .put("cached_input", u.getCachedInputTokens())
                .put("cache_write", u.getCacheWriteTokens())
                .put("output", u.getOutputTokens())
                .put("reasoning", u.getReasoningTokens()))
        .put("updated_at", spend.getUpdatedAt().toString());
  }
}
