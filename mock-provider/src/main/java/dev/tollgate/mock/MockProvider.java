package dev.tollgate.mock;

import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server that speaks the providers' wire formats, for local mode, tests and benchmarks.
 * Each provider of the catalog is served under its own path prefix ({@code /<provider>/v1/...}),
 * billed at the mock's own prices (MockPrices) in its own ledger ({@code GET /_mock/ledger}).
 * Latency is set at start ({@code mock.latency}) and at run time ({@code POST /_mock/config
 * {"latency_ms": 50}}).
 */
public final class MockProvider implements AutoCloseable {

  private final HttpServer server;
  private final BillingLedger ledger;
  private final FaultPlan faults;
  private final AtomicLong latencyMs;

  private MockProvider(
      HttpServer server, BillingLedger ledger, FaultPlan faults, AtomicLong latencyMs) {
    this.server = server;
    this.ledger = ledger;
    this.faults = faults;
    this.latencyMs = latencyMs;
  }

  /** Serves on {@code host:port} (0 picks a port), billing at {@code prices}. */
  public static MockProvider start(
      Vertx vertx, MockPrices prices, String host, int port, Duration latency) {
    BillingLedger ledger = new BillingLedger();
    FaultPlan faults = new FaultPlan();
    AtomicLong latencyMs = new AtomicLong(latency.toMillis());
    AtomicLong calls = new AtomicLong();
    Clock clock = Clock.systemUTC();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(16 * 1024 * 1024));
    router
        .post("/:provider/v1/chat/completions")
        .handler(
            new ChatHandler(
                vertx, new OpenAiFormat(), prices, ledger, faults, clock, latencyMs::get, calls));
    router
        .post("/:provider/v1/embeddings")
        .handler(new EmbeddingsHandler(prices, ledger, clock, calls));
    router
        .post("/:provider/v1/openai/deployments/:deployment/chat/completions")
        .handler(
            new ChatHandler(
                vertx,
                new AzureOpenAiFormat(),
                prices,
                ledger,
                faults,
                clock,
                latencyMs::get,
                calls));
    router
        .post("/:provider/v1/messages")
        .handler(
            new ChatHandler(
                vertx,
                new AnthropicFormat(),
                prices,
                ledger,
                faults,
                clock,
                latencyMs::get,
                calls));
    router
        .post("/:provider/:version/models/*")
        .handler(
            new ChatHandler(
                vertx, new GeminiFormat(), prices, ledger, faults, clock, latencyMs::get, calls));
    new MockControl(ledger, faults, latencyMs, clock).mount(router);
    HttpService.mountOperations(router, Metrics.registry("mock-provider"), List::of);
    return new MockProvider(
        HttpService.listen(vertx, router, host, port), ledger, faults, latencyMs);
  }

  /**
   * The base URL to configure for {@code provider}, e.g. {@code http://127.0.0.1:8090/openai/v1}.
   */
  public String baseUrl(String provider) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + provider + "/v1";
  }

  public int port() {
    return server.actualPort();
  }

  public BillingLedger ledger() {
    return ledger;
  }

  public void setLatency(Duration latency) {
    latencyMs.set(latency.toMillis());
  }

  /**
   * Adds a fault rule, in the form {@code POST /_mock/faults} takes.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public void addFault(JsonObject rule) {
    faults.add(FaultRule.parse(rule, System.currentTimeMillis()), rule.getLong("seed"));
  }

  /** Removes every injected fault. */
  public void clearFaults() {
    faults.clear();
  }

  @Override
  public void close() {
    HttpService.close(server);
  }
}
