package dev.tollgate.ingest.async;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.kafka.Records;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.AsyncRequest;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Topics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Async requests: {@code POST /v1/chat/completions} with {@code Prefer: respond-async} is accepted
 * with 202 and its id; the request travels the bulk lane; {@code GET /v1/requests/{id}} answers 202
 * while it runs, then exactly what the synchronous call would have answered; a callback URL given
 * in {@value #CALLBACK_HEADER} receives the result as well. Requests and replies are kept {@link
 * #RETENTION}.
 */
public final class AsyncService implements AutoCloseable {

  public static final String CALLBACK_HEADER = "X-Tollgate-Callback-Url";
  public static final Duration RETENTION = Duration.ofHours(24);

  private final AsyncResults results;
  private final AsyncCallbacks delivery;
  private final CallbackPolicy callbacks;
  private final Producer<String, SpecificRecord> producer;
  private final Topics topics;
  private final Vertx vertx;
  private final long pruneTimer;

  private AsyncService(
      AsyncResults results,
      AsyncCallbacks delivery,
      CallbackPolicy callbacks,
      Producer<String, SpecificRecord> producer,
      Topics topics,
      Vertx vertx) {
    this.results = results;
    this.delivery = delivery;
    this.callbacks = callbacks;
    this.producer = producer;
    this.topics = topics;
    this.vertx = vertx;
    this.pruneTimer = vertx.setPeriodic(60_000, t -> results.prune());
  }

  public static AsyncService start(
      ServiceContext ctx, Producer<String, SpecificRecord> producer, String instanceId) {
    Topics topics = ctx.kafka().topics();
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(
        List.of(
            admin.retained(topics.asyncRequests().name(), RETENTION),
            admin.retained(topics.asyncReplies().name(), RETENTION)));
    ctx.serdes().register(topics.asyncRequests());
    AsyncResults results =
        new AsyncResults(
            ctx.kafka(),
            ctx.serdes(),
            instanceId,
            ctx.settings().intValue("ingest.async-max-held", 200_000),
            Clock.systemUTC());
    AsyncCallbacks delivery =
        new AsyncCallbacks(
                ctx.kafka().clientProperties("tollgate-ingest-callbacks-" + instanceId),
                topics.prefix() + "tollgate-async-callbacks",
                ctx.serdes().on(topics.asyncReplies()),
                results)
            .start();
    return new AsyncService(
        results,
        delivery,
        new CallbackPolicy(ctx.settings().string("ingest.callback-allowed-hosts", "")),
        producer,
        topics,
        ctx.vertx());
  }

  /** Whether the client asked for an async answer ({@code Prefer: respond-async}). */
  public static boolean wanted(String prefer) {
    return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
  }

  /** The reply topic async requests name. */
  public String replyTopic() {
    return topics.asyncReplies().name();
  }

  /**
   * Why a request cannot be taken async (a callback URL the policy refuses: 400; {@code
   * ingest.async-max-held} requests held: 429), or empty.
   */
  public Optional<OpenAiError> refusal(RoutingContext ctx) {
    String callback = ctx.request().getHeader(CALLBACK_HEADER);
    String refusal = callback == null ? null : callbacks.refusal(callback);
    if (refusal != null) {
      return Optional.of(
          OpenAiError.invalidRequest(CALLBACK_HEADER + ": " + refusal + ".", CALLBACK_HEADER));
    }
    if (results.isFull()) {
      ctx.response().putHeader("Retry-After", "60");
      return Optional.of(
          new OpenAiError(
              429,
              "rate_limit_error",
              "too_many_async_requests",
              "Too many async requests are held; retry later or call synchronously.",
              null));
    }
    return Optional.empty();
  }

  /**
   * Accepts {@code request} (already checked, its reply topic {@link #replyTopic()}, not refused by
   * {@link #refusal}): records it, publishes it, answers 202, and tells {@code sent} how the sends
   * ended (once, with the error or null).
   */
  public void accept(
      RoutingContext ctx, LlmRequest request, String keyHash, Consumer<Exception> sent) {
    String callback = ctx.request().getHeader(CALLBACK_HEADER);
    AsyncRequest accepted =
        new AsyncRequest(
            request.getRequestId(),
            request.getTeamId(),
            request.getCreatedAt(),
            request.getDeadlineAt(),
            callback);
    Context context = vertx.getOrCreateContext();
    ProducerRecord<String, SpecificRecord> record =
        Records.to(topics.bulkRequests(), request.getTeamId(), request);
    record.headers().add(RequestHeaders.KEY_SHA256, keyHash.getBytes(StandardCharsets.UTF_8));
    // The acceptance is written first, so whoever reads the reply finds whose it is.
    producer.send(
        Records.to(topics.asyncRequests(), request.getRequestId(), accepted),
        (meta, e) -> {
          if (e != null) {
            sent.accept(e);
            context.runOnContext(v -> unavailable("The request could not be queued", e).send(ctx));
            return;
          }
          producer.send(
              record,
              (written, failed) -> {
                sent.accept(failed);
                context.runOnContext(
                    v -> {
                      if (failed != null) {
                        unavailable("The request could not be queued", failed).send(ctx);
                      } else {
                        ctx.response()
                            .setStatusCode(202)
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Location", "/v1/requests/" + request.getRequestId())
                            .putHeader("x-request-id", request.getRequestId())
                            .end(AsyncJson.pending(accepted).encode());
                      }
                    });
              });
        });
  }

  /** {@code GET /v1/requests/{id}}: 202 while pending, then the reply; 404 for another's id. */
  public void get(RoutingContext ctx, ApiKey key) {
    String id = ctx.pathParam("id");
    AsyncResults.Entry entry = results.find(key.teamId(), id).orElse(null);
    if (entry == null) {
      OpenAiError.notFound("not_found", "No such request: " + id, "id").send(ctx);
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").putHeader("x-request-id", id);
    if (entry.reply() == null) {
      ctx.response().setStatusCode(202).end(AsyncJson.pending(entry.request()).encode());
      return;
    }
    vertx
        .executeBlocking(() -> results.reply(entry.reply()), false)
        .onComplete(
            read -> {
              if (read.failed()) {
                unavailable("The reply could not be read", read.cause()).send(ctx);
              } else if (read.result().isEmpty()) {
                OpenAiError.notFound("not_found", "The reply to " + id + " has expired.", "id")
                    .send(ctx);
              } else {
                LlmReply reply = read.result().get();
                ctx.response()
                    .setStatusCode(AsyncJson.statusCode(reply))
                    .end(AsyncJson.body(reply).encode());
              }
            });
  }

  private static OpenAiError unavailable(String what, Throwable e) {
    return new OpenAiError(
        503, "service_unavailable", "kafka_unavailable", what + ": " + e.getMessage(), null);
  }

  public boolean isHealthy() {
    return results.isAlive() && delivery.isAlive();
  }

  @Override
  public void close() {
    vertx.cancelTimer(pruneTimer);
    delivery.close();
    results.close();
  }
}
