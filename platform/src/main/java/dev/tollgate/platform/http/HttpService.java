package dev.tollgate.platform.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every service serves HTTP: its routes plus {@code /metrics} and {@code /health}. */
public final class HttpService {

  private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

  private HttpService() {}

  /**
   * Adds {@code GET /metrics} (Prometheus text) and {@code GET /health} to {@code router}, and a
   * failure handler that answers any unhandled error with an OpenAI error object, never a stack
   * trace.
   */
  public static void mountOperations(
      Router router, PrometheusMeterRegistry registry, Health health) {
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
              List<String> problems = health.problems();
              JsonObject body = new JsonObject().put("status", problems.isEmpty() ? "UP" : "DOWN");
              if (!problems.isEmpty()) {
                body.put("problems", new JsonArray(problems));
              }
              ctx.response()
                  .setStatusCode(problems.isEmpty() ? 200 : 503)
                  .putHeader("Content-Type", "application/json")
                  .end(body.encode());
            });
    router.route().failureHandler(HttpService::failure);
  }

  /** Answers a failed request with an OpenAI error object of its status (500 when unknown). */
  public static void failure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (ctx.failure() instanceof Refused refused) {
      refused.error().send(ctx);
    } else if (status == 413) {
      OpenAiError.tooLarge("The request body is larger than the limit.").send(ctx);
    } else if (status == 400) {
      OpenAiError.invalidRequest("The request could not be read.", null).send(ctx);
    } else {
      LOG.error(
          "unhandled failure on {} {}",
          ctx.request().method(),
          ctx.request().path(),
          ctx.failure());
      OpenAiError.internal("The gateway failed to process the request.").send(ctx);
    }
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
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
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
