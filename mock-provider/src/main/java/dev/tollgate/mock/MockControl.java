package dev.tollgate.mock;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mock's control endpoints.
 *
 * <ul>
 *   <li>{@code GET /_mock/ledger}: every billed call, the count and the total in micro-USD; {@code
 *       DELETE} empties it.
 *   <li>{@code POST /_mock/config {"latency_ms": 50}}: the base latency of every call.
 *   <li>{@code POST /_mock/faults {"provider"?, "model"?, "error_rates": {"429": 0.1, "500": 0.05,
 *       "503": 0, "529": 0, "timeout": 0.01, "malformed": 0.01}, "retry_after_ms"?, "latency_ms"?,
 *       "outage_ms"?, "timeout_ms"?, "count"?, "seed"?}}: adds a fault rule (the newest matching
 *       rule wins); {@code GET} lists them; {@code DELETE} removes them all.
 * </ul>
 */
final class MockControl {

  private final BillingLedger ledger;
  private final FaultPlan faults;
  private final AtomicLong latencyMs;
  private final Clock clock;

  MockControl(BillingLedger ledger, FaultPlan faults, AtomicLong latencyMs, Clock clock) {
    this.ledger = ledger;
    this.faults = faults;
    this.latencyMs = latencyMs;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/_mock/ledger").handler(ctx -> json(ctx, 200, ledger.toJson()));
    router
        .delete("/_mock/ledger")
        .handler(
            ctx -> {
              ledger.clear();
              ctx.response().setStatusCode(204).end();
            });
    router.post("/_mock/config").handler(this::configure);
    router
        .get("/_mock/faults")
        .handler(ctx -> json(ctx, 200, new JsonObject().put("rules", faults.toJson())));
    router.post("/_mock/faults").handler(this::addFault);
    router
        .delete("/_mock/faults")
        .handler(
            ctx -> {
              faults.clear();
              ctx.response().setStatusCode(204).end();
            });
  }

  private void configure(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null || !(body.getValue("latency_ms") instanceof Number)) {
      json(ctx, 400, problem("expected {\"latency_ms\": <number>}"));
      return;
    }
    latencyMs.set(Math.max(0, body.getLong("latency_ms")));
    json(ctx, 200, new JsonObject().put("latency_ms", latencyMs.get()));
  }

  private void addFault(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      json(ctx, 400, problem("expected a JSON object"));
      return;
    }
    try {
      FaultRule rule = FaultRule.parse(body, clock.millis());
      faults.add(rule, body.getLong("seed"));
      json(ctx, 200, rule.toJson());
    } catch (IllegalArgumentException | ClassCastException e) {
      json(ctx, 400, problem(e.getMessage()));
    }
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonObject problem(String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
