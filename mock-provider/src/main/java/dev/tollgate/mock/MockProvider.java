package dev.tollgate.mock;

import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.Price;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real HTTP server that speaks the providers' wire formats, for local mode, tests and benchmarks.
 * Each provider of the catalog is served under its own path prefix ({@code /<provider>/v1/...}),
 * billed at that provider's catalog prices in its own ledger ({@code GET /_mock/ledger}). Latency
 * is set at start ({@code mock.latency}) and at run time ({@code POST /_mock/config {"latency_ms":
 * 50}}).
 */
public final class MockProvider implements AutoCloseable {

  private final HttpServer server;
  private final BillingLedger ledger;
  private final OpenAiChatHandler openAi;

  private MockProvider(HttpServer server, BillingLedger ledger, OpenAiChatHandler openAi) {
    this.server = server;
    this.ledger = ledger;
    this.openAi = openAi;
  }

  /** Serves on {@code host:port} (0 picks a port), billing at the catalog's prices. */
  public static MockProvider start(
      Vertx vertx, ModelCatalog catalog, String host, int port, Duration latency) {
    BillingLedger ledger = new BillingLedger();
    OpenAiChatHandler openAi =
        new OpenAiChatHandler(vertx, pricesByProviderModel(catalog), ledger, Clock.systemUTC());
    openAi.setLatency(latency);
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(16 * 1024 * 1024));
    router.post("/:provider/v1/chat/completions").handler(openAi);
    router.get("/_mock/ledger").handler(ctx -> json(ctx, ledger.toJson().encode()));
    router
        .delete("/_mock/ledger")
        .handler(
            ctx -> {
              ledger.clear();
              ctx.response().setStatusCode(204).end();
            });
    router.post("/_mock/config").handler(ctx -> openAi.configure(ctx));
    HttpService.mountOperations(router, Metrics.registry("mock-provider"), () -> true);
    return new MockProvider(HttpService.listen(vertx, router, host, port), ledger, openAi);
  }

  private static Map<String, Price> pricesByProviderModel(ModelCatalog catalog) {
    Map<String, Price> prices = new HashMap<>();
    for (Deployment d : catalog.deployments()) {
      prices.put(OpenAiChatHandler.priceKey(d.provider(), d.model()), d.price());
    }
    return prices;
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
    openAi.setLatency(latency);
  }

  private static void json(io.vertx.ext.web.RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  @Override
  public void close() {
    HttpService.close(server);
  }
}
