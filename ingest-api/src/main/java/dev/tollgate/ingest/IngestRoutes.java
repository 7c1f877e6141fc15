package dev.tollgate.ingest;

import dev.tollgate.ingest.async.AsyncService;
import dev.tollgate.ingest.batch.BatchApi;
import dev.tollgate.ingest.batch.BatchService;
import dev.tollgate.ingest.batch.FilesApi;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.ErrorShape;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.http.OpenAiError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The OpenAI- and Anthropic-compatible routes, shared by the service and its tests: gateway-key
 * authentication (failures limited per source address), a body size limit, and every failure as an
 * error object of the route's API ({@link ErrorShape}). The admin API is mounted beside them by the
 * service.
 */
final class IngestRoutes {

  private IngestRoutes() {}

  /**
   * The OpenAI routes; the Files and Batch APIs and async results when {@code batches} and {@code
   * async} are not null; {@code more} mounts further routes before the catch-all 404.
   */
  static Router router(
      Vertx vertx,
      IngestConfig config,
      GatewayConfigView keys,
      ApiEndpoint api,
      BatchService batches,
      AsyncService async,
      Clock clock,
      Consumer<Router> more) {
    Router router = Router.router(vertx);
    // First, so that the body limit's and authentication's errors take Anthropic's shape too.
    router.route("/v1/messages*").handler(ErrorShape.ANTHROPIC::apply);
    // Uploads (POST /v1/files) have their own, larger limit and are spooled to disk.
    router
        .routeWithRegex("/v1/(?!files$).*")
        .handler(BodyHandler.create().setBodyLimit(config.maxBodyBytes()));
    BearerAuth auth =
        new BearerAuth(
            keys, new AuthFailures(config.authFailuresPerMinute(), clock::millis), clock);
    if (async != null) {
      router
          .get("/v1/requests/:id")
          .handler(ctx -> auth.check(ctx, (key, hash) -> async.get(ctx, key)));
    }
    if (batches != null) {
      mountFiles(router, batches.files(), auth);
      mountBatches(router, batches.batches(), auth);
    }
    router
        .post("/v1/chat/completions")
        .handler(ctx -> auth.check(ctx, (key, hash) -> api.completions(ctx, key, hash)));
    router
        .post("/v1/embeddings")
        .handler(ctx -> auth.check(ctx, (key, hash) -> api.embeddings(ctx, key, hash)));
    router
        .post("/v1/messages")
        .handler(ctx -> auth.check(ctx, (key, hash) -> api.messages(ctx, key, hash)));
    TokenCounts counts = new TokenCounts(keys::catalog, config.maxImageBytes());
    router
        .post("/v1/messages/count_tokens")
        .handler(ctx -> auth.check(ctx, (key, hash) -> counts.count(ctx)));
    router
        .get("/v1/models")
        .handler(ctx -> auth.check(ctx, (key, hash) -> models(ctx, keys.catalog())));
    more.accept(router);
    router
        .route("/v1/*")
        .last()
        .handler(
            ctx ->
                OpenAiError.notFound(
                        "unknown_url",
                        "Unknown request URL: "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path(),
                        null)
                    .send(ctx));
    router.route().failureHandler(HttpService::failure);
    return router;
  }

  private static void mountFiles(Router router, FilesApi files, BearerAuth auth) {
    router
        .post("/v1/files")
        .handler(
            BodyHandler.create(files.uploadDir().toString())
                .setBodyLimit(files.maxUploadBytes() + 64 * 1024)
                .setDeleteUploadedFilesOnEnd(true))
        .handler(ctx -> auth.check(ctx, (key, hash) -> files.upload(ctx, key)));
    router.get("/v1/files").handler(ctx -> auth.check(ctx, (key, hash) -> files.list(ctx, key)));
    router.get("/v1/files/:id").handler(ctx -> auth.check(ctx, (key, hash) -> files.get(ctx, key)));
    router
        .get("/v1/files/:id/content")
        .handler(ctx -> auth.check(ctx, (key, hash) -> files.content(ctx, key)));
    router
        .delete("/v1/files/:id")
        .handler(ctx -> auth.check(ctx, (key, hash) -> files.delete(ctx, key)));
  }

  private static void mountBatches(Router router, BatchApi batches, BearerAuth auth) {
    router
        .post("/v1/batches")
        .handler(ctx -> auth.check(ctx, (key, hash) -> batches.create(ctx, key, hash)));
    router
        .get("/v1/batches")
        .handler(ctx -> auth.check(ctx, (key, hash) -> batches.list(ctx, key)));
    router
        .get("/v1/batches/:id")
        .handler(ctx -> auth.check(ctx, (key, hash) -> batches.get(ctx, key)));
    router
        .post("/v1/batches/:id/cancel")
        .handler(ctx -> auth.check(ctx, (key, hash) -> batches.cancel(ctx, key)));
  }

  private static void models(RoutingContext ctx, ModelCatalog catalog) {
    JsonArray data = new JsonArray();
    for (String model : catalog.models()) {
      data.add(
          new JsonObject()
              .put("id", model)
              .put("object", "model")
              .put("created", 0)
              .put("owned_by", "tollgate"));
    }
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).encode());
  }
}
