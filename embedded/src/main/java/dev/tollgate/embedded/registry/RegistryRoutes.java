package dev.tollgate.embedded.registry;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The subset of the Confluent schema registry REST API that serdes and tools use, over a {@link
 * SchemaStore}. Errors carry Confluent's {@code error_code} values so clients map them as they
 * would against Confluent's registry.
 */
final class RegistryRoutes {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final SchemaStore store;

  RegistryRoutes(SchemaStore store) {
    this.store = store;
  }

  /**
   * The registry's routes; with {@code userInfo}, only requests with that basic-auth {@code
   * user:password} are answered (others get 401), as a secured registry does.
   */
  Router router(Vertx vertx, Optional<String> userInfo) {
    Router router = Router.router(vertx);
    userInfo.ifPresent(info -> router.route().handler(basicAuth(info)));
    router.route().handler(BodyHandler.create().setBodyLimit(4 * 1024 * 1024));
    router.get("/").handler(ctx -> json(ctx, 200, new JsonObject()));
    router.get("/schemas/types").handler(ctx -> json(ctx, 200, new JsonArray().add("AVRO")));
    router.get("/subjects").handler(ctx -> json(ctx, 200, new JsonArray(store.subjects())));
    router.get("/subjects/:subject/versions").handler(this::versions);
    router.get("/subjects/:subject/versions/:version").handler(this::version);
    router.get("/subjects/:subject/versions/:version/schema").handler(this::versionSchema);
    // Registration writes to the Kafka log and waits for it: off the event loop.
    router.post("/subjects/:subject/versions").blockingHandler(this::register);
    router.post("/subjects/:subject").handler(this::lookup);
    router.get("/schemas/ids/:id").handler(this::schemaById);
    router.get("/schemas/ids/:id/schema").handler(this::rawSchemaById);
    router
        .get("/schemas/ids/:id/subjects")
        .handler(
            ctx ->
                withId(
                    ctx,
                    (id, s) ->
                        json(
                            ctx,
                            200,
                            new JsonArray(
                                store.usesOf(id).stream()
                                    .map(SchemaStore.Registered::subject)
                                    .distinct()
                                    .toList()))));
    router
        .get("/schemas/ids/:id/versions")
        .handler(
            ctx ->
                withId(
                    ctx,
                    (id, s) -> {
                      JsonArray uses = new JsonArray();
                      store
                          .usesOf(id)
                          .forEach(
                              r ->
                                  uses.add(
                                      new JsonObject()
                                          .put("subject", r.subject())
                                          .put("version", r.version())));
                      json(ctx, 200, uses);
                    }));
    router.post("/compatibility/subjects/:subject/versions/:version").handler(this::compatible);
    router.get("/config").handler(ctx -> level(ctx, store.compatibility(null)));
    router.put("/config").blockingHandler(ctx -> setLevel(ctx, null));
    router.get("/config/:subject").handler(this::subjectLevel);
    router.put("/config/:subject").blockingHandler(ctx -> setLevel(ctx, subject(ctx)));
    return router;
  }

  private void versions(RoutingContext ctx) {
    var versions = store.versions(subject(ctx));
    if (versions.isEmpty()) {
      subjectNotFound(ctx);
    } else {
      json(ctx, 200, new JsonArray(versions));
    }
  }

  private void version(RoutingContext ctx) {
    withVersion(ctx, r -> json(ctx, 200, describe(r)));
  }

  private void versionSchema(RoutingContext ctx) {
    withVersion(ctx, r -> raw(ctx, r.schema()));
  }

  private void register(RoutingContext ctx) {
    Schema schema = parseSchema(ctx);
    if (schema == null) {
      return;
    }
    try {
      json(ctx, 200, new JsonObject().put("id", store.register(subject(ctx), schema).id()));
    } catch (IncompatibleSchemaException e) {
      error(ctx, 409, 409, e.getMessage());
    }
  }

  private void lookup(RoutingContext ctx) {
    Schema schema = parseSchema(ctx);
    if (schema == null) {
      return;
    }
    if (store.versions(subject(ctx)).isEmpty()) {
      subjectNotFound(ctx);
      return;
    }
    store
        .lookup(subject(ctx), schema)
        .ifPresentOrElse(
            r -> json(ctx, 200, describe(r)), () -> error(ctx, 404, 40403, "Schema not found"));
  }

  private void schemaById(RoutingContext ctx) {
    withId(ctx, (id, s) -> json(ctx, 200, new JsonObject().put("schema", s.toString())));
  }

  private void rawSchemaById(RoutingContext ctx) {
    withId(ctx, (id, s) -> raw(ctx, s));
  }

  private void compatible(RoutingContext ctx) {
    Schema schema = parseSchema(ctx);
    if (schema != null) {
      boolean ok = store.isCompatible(subject(ctx), schema);
      json(ctx, 200, new JsonObject().put("is_compatible", ok));
    }
  }

  private void subjectLevel(RoutingContext ctx) {
    boolean defaultToGlobal = "true".equals(ctx.request().getParam("defaultToGlobal"));
    store
        .subjectCompatibility(subject(ctx))
        .or(
            () ->
                defaultToGlobal
                    ? Optional.of(store.compatibility(null))
                    : Optional.<Compatibility>empty())
        .ifPresentOrElse(
            level -> level(ctx, level),
            () ->
                error(
                    ctx, 404, 40408, "Subject '" + subject(ctx) + "' has no compatibility level"));
  }

  private void setLevel(RoutingContext ctx, String subject) {
    JsonObject body = body(ctx);
    String requested = body == null ? null : body.getString("compatibility");
    Compatibility level;
    try {
      level = Compatibility.valueOf(String.valueOf(requested).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      error(ctx, 422, 42203, "Invalid compatibility level: " + requested);
      return;
    }
    store.setCompatibility(subject, level);
    json(ctx, 200, new JsonObject().put("compatibility", level.name()));
  }

  private void level(RoutingContext ctx, Compatibility level) {
    json(ctx, 200, new JsonObject().put("compatibilityLevel", level.name()));
  }

  private void withVersion(RoutingContext ctx, Consumer<SchemaStore.Registered> then) {
    String raw = ctx.pathParam("version");
    int version;
    try {
      version = "latest".equals(raw) ? -1 : Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      error(ctx, 422, 42202, "Invalid version: " + raw);
      return;
    }
    if (store.versions(subject(ctx)).isEmpty()) {
      subjectNotFound(ctx);
      return;
    }
    store
        .version(subject(ctx), version)
        .ifPresentOrElse(then, () -> error(ctx, 404, 40402, "Version " + raw + " not found"));
  }

  private void withId(RoutingContext ctx, BiConsumer<Integer, Schema> then) {
    int id;
    try {
      id = Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      error(ctx, 404, 40403, "Schema not found");
      return;
    }
    store
        .byId(id)
        .ifPresentOrElse(
            s -> then.accept(id, s), () -> error(ctx, 404, 40403, "Schema " + id + " not found"));
  }

  private Schema parseSchema(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null || body.getString("schema") == null) {
      error(ctx, 422, 42201, "Request body must be a JSON object with a 'schema' string");
      return null;
    }
    String type = body.getString("schemaType", "AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      error(ctx, 422, 42201, "Only AVRO schemas are supported, not " + type);
      return null;
    }
    try {
      return new Schema.Parser().parse(body.getString("schema"));
    } catch (SchemaParseException e) {
      error(ctx, 422, 42201, "Invalid schema: " + e.getMessage());
      return null;
    }
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonObject describe(SchemaStore.Registered r) {
    return new JsonObject()
        .put("subject", r.subject())
        .put("version", r.version())
        .put("id", r.id())
        .put("schema", r.schema().toString());
  }

  private static String subject(RoutingContext ctx) {
    return ctx.pathParam("subject");
  }

  private static void subjectNotFound(RoutingContext ctx) {
    error(ctx, 404, 40401, "Subject '" + subject(ctx) + "' not found");
  }

  private static void raw(RoutingContext ctx, Schema schema) {
    ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(schema.toString());
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body.toString());
  }

  private static void error(RoutingContext ctx, int status, int code, String message) {
    json(ctx, status, new JsonObject().put("error_code", code).put("message", message));
  }

  private static Handler<RoutingContext> basicAuth(String userInfo) {
    byte[] expected =
        ("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
            .getBytes(StandardCharsets.UTF_8);
    return ctx -> {
      String given = ctx.request().getHeader("Authorization");
      if (given != null
          && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
        ctx.next();
      } else {
        json(ctx, 401, new JsonObject().put("error_code", 401).put("message", "Unauthorized"));
      }
    };
  }
}
