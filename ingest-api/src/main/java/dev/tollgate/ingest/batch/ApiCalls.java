package dev.tollgate.ingest.batch;

import dev.tollgate.core.kafka.Records;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.platform.http.Refused;
import dev.tollgate.schemas.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/** What the Files and Batch handlers share: blocking work off the event loop, writes, answers. */
final class ApiCalls {

  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final Producer<String, SpecificRecord> producer;

  ApiCalls(Vertx vertx, Producer<String, SpecificRecord> producer) {
    this.vertx = vertx;
    this.producer = producer;
  }

  Vertx vertx() {
    return vertx;
  }

  /** Runs {@code work} off the event loop and answers with its JSON, or its refusal. */
  void json(RoutingContext ctx, Supplier<JsonObject> work) {
    vertx
        .executeBlocking(work::get, false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                send(ctx, result.result());
              } else if (result.cause() instanceof Refused r) {
                r.error().send(ctx);
              } else {
                unavailable(result.cause()).send(ctx);
              }
            });
  }

  /** Writes one record (null: a tombstone) and waits until Kafka has it (blocking). */
  <V extends SpecificRecord> void write(Topic<String, V> topic, String key, V value) {
    Records.await(producer.send(Records.to(topic, key, value)), WRITE_TIMEOUT);
  }

  static void send(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("Content-Type", "application/json").end(json.encode());
  }

  static OpenAiError unavailable(Throwable cause) {
    return new OpenAiError(503, "service_unavailable", null, cause.getMessage(), null);
  }

  /** The object of the path's {@code id}, or a 404 naming it ({@code kind}: File, Batch). */
  static <T> T found(RoutingContext ctx, String kind, Function<String, Optional<T>> lookup) {
    String id = ctx.pathParam("id");
    return lookup
        .apply(id)
        .orElseThrow(
            () ->
                new Refused(
                    OpenAiError.notFound("not_found", "No such " + kind + " object: " + id, "id")));
  }

  /** The {@code limit} query parameter, between 1 and {@code max}; {@code fallback} when absent. */
  static int limit(RoutingContext ctx, int fallback, int max) {
    String limit = ctx.request().getParam("limit");
    try {
      return limit == null ? fallback : Math.max(1, Math.min(max, Integer.parseInt(limit)));
    } catch (NumberFormatException e) {
      throw new Refused(OpenAiError.invalidRequest("limit: must be a number.", "limit"));
    }
  }
}
