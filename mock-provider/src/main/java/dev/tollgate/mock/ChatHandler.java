package dev.tollgate.mock;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Serves one wire format's chat endpoint: authenticate, parse, apply the fault plan and the
 * latency, then answer. A call is billed (one ledger entry, priced from its own usage at the mock's
 * own prices for that provider and model) exactly when a successful answer is sent; faulted calls
 * are not billed.
 */
final class ChatHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final WireFormat format;
  private final MockPrices prices;
  private final BillingLedger ledger;
  private final FaultPlan faults;
  private final Clock clock;
  private final LongSupplier baseLatencyMs;
  private final AtomicLong calls;

  ChatHandler(
      Vertx vertx,
      WireFormat format,
      MockPrices prices,
      BillingLedger ledger,
      FaultPlan faults,
      Clock clock,
      LongSupplier baseLatencyMs,
      AtomicLong calls) {
    this.vertx = vertx;
    this.format = format;
    this.prices = prices;
    this.ledger = ledger;
    this.faults = faults;
    this.clock = clock;
    this.baseLatencyMs = baseLatencyMs;
    this.calls = calls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!format.authenticated(ctx)) {
      send(ctx, 401, format.error(401, "authentication_error", "missing API key"), 0);
      return;
    }
    JsonObject body;
    MockCall call;
    try {
      body = ctx.body().asJsonObject();
      call = format.parse(ctx.pathParam("provider"), ctx, body == null ? new JsonObject() : body);
    } catch (RuntimeException e) {
      send(ctx, 400, format.error(400, "invalid_request_error", String.valueOf(e.getMessage())), 0);
      return;
    }
    MockPrices.Rates price = prices.of(call.model()).orElse(null);
    if (price == null) {
      send(
          ctx,
          404,
          format.error(404, "model_not_found", "The model `" + call.model() + "` does not exist"),
          0);
      return;
    }
    FaultPlan.Fate fate = faults.decide(call.provider(), call.model(), clock.millis());
    long delay = baseLatencyMs.getAsLong() + fate.latencyMs();
    if (!fate.isFault()) {
      later(delay, () -> answer(ctx, call, price));
      return;
    }
    switch (fate.fault()) {
      case "timeout" ->
          later(
              fate.timeoutMs(),
              () -> send(ctx, 504, format.error(504, "timeout", "upstream timed out"), 0));
      case "malformed" ->
          later(
              delay,
              () ->
                  ctx.response()
                      .putHeader("Content-Type", "text/html")
                      .end("<html>upstream broke</html>"));
      default -> {
        int status = Integer.parseInt(fate.fault());
        later(
            delay,
            () ->
                send(
                    ctx,
                    status,
                    format.error(status, "injected_fault", "injected " + status),
                    fate.retryAfterMs()));
      }
    }
  }

  /** Bills the call and answers it; a caller that went away is billed all the same. */
  private void answer(RoutingContext ctx, MockCall call, MockPrices.Rates price) {
    MockUsage usage = MockUsage.of(call);
    Instant now = clock.instant();
    String id = call.provider() + "-call-" + calls.incrementAndGet();
    JsonObject answer = format.success(id, call, usage, now);
    BilledTokens billed = format.billed(answer);
    ledger.record(
        new LedgerEntry(id, call.provider(), call.model(), billed, price.costMicros(billed), now));
    send(ctx, 200, answer, 0);
  }

  private void later(long delayMs, Runnable action) {
    if (delayMs > 0) {
      vertx.setTimer(delayMs, id -> action.run());
    } else {
      action.run();
    }
  }

  /** Answers {@code body} with {@code status}, unless the caller has gone. */
  static void send(RoutingContext ctx, int status, JsonObject body, long retryAfterMs) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return;
    }
    if (retryAfterMs > 0) {
      ctx.response().putHeader("retry-after-ms", Long.toString(retryAfterMs));
      ctx.response().putHeader("retry-after", Long.toString((retryAfterMs + 999) / 1000));
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
