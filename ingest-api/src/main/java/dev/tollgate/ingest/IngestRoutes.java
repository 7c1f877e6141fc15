package dev.tollgate.ingest;

import dev.tollgate.platform.auth.ApiKey;
import dev.tollgate.platform.auth.GatewayKeys;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.http.OpenAiError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * The OpenAI-compatible routes, shared by the service and its tests: bearer-key authentication, a
 * body size limit, and every failure as an OpenAI error object.
 */
final class IngestRoutes {

  private IngestRoutes() {}

  static Router router(
      Vertx vertx,
      IngestConfig config,
      GatewayKeys keys,
      ModelCatalog catalog,
      ChatCompletions chat) {
    Router router = Router.router(vertx);
    router.route("/v1/*").handler(BodyHandler.create().setBodyLimit(config.maxBodyBytes()));
    router
        .post("/v1/chat/completions")
        .handler(ctx -> authenticated(ctx, keys, key -> chat.handle(ctx, key)));
    router.get("/v1/models").handler(ctx -> authenticated(ctx, keys, key -> models(ctx, catalog)));
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

  private static void authenticated(
      RoutingContext ctx, GatewayKeys keys, java.util.function.Consumer<ApiKey> then) {
    Optional<String> secret = GatewayKeys.bearer(ctx.request().getHeader("Authorization"));
    if (secret.isEmpty()) {
      OpenAiError.unauthorized(
              "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.")
          .send(ctx);
      return;
    }
    Optional<ApiKey> key = keys.authenticate(secret.get());
    if (key.isEmpty()) {
      OpenAiError.unauthorized("Incorrect API key provided.").send(ctx);
      return;
    }
    then.accept(key.get());
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
