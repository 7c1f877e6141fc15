package dev.tollgate.platform.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** How every service serves HTTP: its routes plus {@code /metrics} and {@code /health}. */
public final class HttpService {

  private HttpService() {}

  /** Adds {@code GET /metrics} (Prometheus text) and {@code GET /health} to {@code router}. */
  public static void mountOperations(
      Router router, PrometheusMeterRegistry registry, BooleanSupplier healthy) {
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
    router
        .get("/health")
        .handler(
            ctx -> {
              boolean up = healthy.getAsBoolean();
              ctx.response()
                  .setStatusCode(up ? 200 : 503)
                  .putHeader("Content-Type", "application/json")
                  .end(new JsonObject().put("status", up ? "UP" : "DOWN").encode());
            });
  }

  /** Serves {@code router} on {@code host:port} (port 0 picks one); blocks until listening. */
  public static HttpServer listen(Vertx vertx, Router router, String host, int port) {
    try {
      return vertx
          .createHttpServer(new HttpServerOptions().setCompressionSupported(false))
          .requestHandler(router)
          .listen(port, host)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
    }
  }

  /** Closes {@code server}, waiting up to ten seconds. */
  public static void close(HttpServer server) {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot close HTTP server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
