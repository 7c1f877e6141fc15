package dev.tollgate.ingest;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.kafka.Records;
import dev.tollgate.formats.ApiFormat;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.formats.anthropic.MessagesFormat;
import dev.tollgate.formats.openai.CompletionJson;
import dev.tollgate.formats.openai.OpenAiChatFormat;
import dev.tollgate.formats.openai.OpenAiEmbeddingsFormat;
import dev.tollgate.ingest.async.AsyncService;
import dev.tollgate.platform.catalog.ApiParameters;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Priority;
import dev.tollgate.schemas.Topics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code POST /v1/chat/completions}, {@code POST /v1/messages} and {@code POST /v1/embeddings}, the
 * synchronous facade: validate the body in its API's {@link ApiFormat}, publish to {@code
 * llm-requests}, wait for the reply on this instance's reply topic, answer in the same API's shape.
 * With {@code Prefer: respond-async} a chat completion request goes to the {@link AsyncService}
 * instead (whose results are chat completions; the other endpoints ignore the preference, as RFC
 * 7240 lets a server).
 */
final class ApiEndpoint {

  static final String TIMEOUT_HEADER = "X-Tollgate-Timeout-Ms";

  private final IngestConfig config;
  private final Supplier<ModelCatalog> catalogs;
  private final Producer<String, SpecificRecord> producer;
  private final Topics topics;
  private final String replyTopic;
  private final PendingReplies pending;
  private final Vertx vertx;
  private final Clock clock;
  private final AsyncService async;
  private final KafkaGate gate;
  private final ApiFormat completions;
  private final ApiFormat messages;
  private final ApiFormat embeddings = new OpenAiEmbeddingsFormat();

  ApiEndpoint(
      IngestConfig config,
      Supplier<ModelCatalog> catalogs,
      Producer<String, SpecificRecord> producer,
      Topics topics,
      String replyTopic,
      PendingReplies pending,
      Vertx vertx,
      Clock clock,
      AsyncService async,
      KafkaGate gate) {
    this.gate = gate;
    this.config = config;
    this.completions = new OpenAiChatFormat(config.maxImageBytes());
    this.messages = new MessagesFormat(config.maxImageBytes());
    this.catalogs = catalogs;
    this.producer = producer;
    this.topics = topics;
    this.replyTopic = replyTopic;
    this.pending = pending;
    this.vertx = vertx;
    this.clock = clock;
    this.async = async;
  }

  /**
   * A chat completion request.
   *
   * @param keyHash the SHA-256 of the caller's key, sent on with the request for the router
   */
  void completions(RoutingContext ctx, ApiKey key, String keyHash) {
    handle(
        ctx,
        completions,
        async != null && AsyncService.wanted(ctx.request().getHeader("Prefer")),
        key,
        keyHash);
  }

  /** An Anthropic Messages request. */
  void messages(RoutingContext ctx, ApiKey key, String keyHash) {
    handle(ctx, messages, false, key, keyHash);
  }

  /** An embeddings request. */
  void embeddings(RoutingContext ctx, ApiKey key, String keyHash) {
    handle(ctx, embeddings, false, key, keyHash);
  }

  private void handle(
      RoutingContext ctx, ApiFormat format, boolean respondAsync, ApiKey key, String keyHash) {
    ParsedRequest parsed;
    Duration timeout;
    try {
      parsed = format.parse(ctx.body().asString());
      timeout =
          timeout(
              ctx.request().getHeader(TIMEOUT_HEADER),
              respondAsync ? config.maxTimeout() : config.defaultTimeout());
    } catch (InvalidRequest e) {
      e.error().send(ctx);
      return;
    }
    ModelCatalog catalog = catalogs.get();
    if (catalog.route(parsed.model()).isEmpty()) {
      OpenAiError.notFound(
              "model_not_found",
              "The model '"
                  + parsed.model()
                  + "' does not exist. Available models: "
                  + String.join(", ", catalog.models()),
              "model")
          .send(ctx);
      return;
    }
    Instant now = clock.instant();
    LlmRequest request =
        parsed
            .toRequest()
            .setRequestId((respondAsync ? "req_" : format.idPrefix()) + UUID.randomUUID())
            .setTeamId(key.teamId())
            .setKeyId(key.id())
            .setReplyTo(respondAsync ? async.replyTopic() : replyTopic)
            .setCreatedAt(now)
            .setDeadlineAt(now.plus(timeout))
            .setPriority(respondAsync ? Priority.BULK : Priority.INTERACTIVE)
            .build();
    if (respondAsync) {
      Optional<OpenAiError> refusal = async.refusal(ctx);
      if (refusal.isPresent()) {
        refusal.get().send(ctx);
      } else if (enterGate(ctx)) {
        async.accept(ctx, request, keyHash, gate::left);
      }
      return;
    }
    String id = request.getRequestId();
    if (pending.size() >= config.maxWaiting()) {
      retryLater(
          ctx,
          429,
          "rate_limit_error",
          "too_many_waiting",
          "Too many requests are waiting for replies on this instance; retry shortly.");
      return;
    }
    if (!enterGate(ctx)) {
      return;
    }
    Context context = vertx.getOrCreateContext();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> {
              if (pending.abandon(id)) {
                OpenAiError.timeout("No reply within " + timeout.toMillis() + " ms.").send(ctx);
              }
            });
    pending.await(
        id,
        reply ->
            context.runOnContext(
                v -> {
                  vertx.cancelTimer(timer);
                  respond(ctx, format, request, reply);
                }));
    ProducerRecord<String, SpecificRecord> record =
        Records.to(topics.requests(), key.teamId(), request);
    record.headers().add(RequestHeaders.KEY_SHA256, keyHash.getBytes(StandardCharsets.UTF_8));
    producer.send(
        record,
        (meta, e) -> {
          gate.left(e);
          if (e != null && pending.abandon(id)) {
            context.runOnContext(
                v -> {
                  vertx.cancelTimer(timer);
                  retryLater(
                      ctx,
                      503,
                      "service_unavailable",
                      "kafka_unavailable",
                      "The request could not be queued: " + e.getMessage());
                });
          }
        });
  }

  /** Takes a place at the {@link KafkaGate}, or answers 503 when there is none. */
  private boolean enterGate(RoutingContext ctx) {
    if (gate.enter()) {
      return true;
    }
    retryLater(
        ctx,
        503,
        "service_unavailable",
        "kafka_unavailable",
        "Too many requests are waiting for Kafka, or Kafka is not answering; retry shortly.");
    return false;
  }

  /** An error the client should retry after a second. */
  private static void retryLater(
      RoutingContext ctx, int status, String type, String code, String message) {
    ctx.response().putHeader("Retry-After", "1");
    new OpenAiError(status, type, code, message, null).send(ctx);
  }

  private Duration timeout(String header, Duration fallback) throws InvalidRequest {
    if (header == null) {
      return fallback;
    }
    try {
      long ms = Long.parseLong(header.trim());
      if (ms < 1 || ms > config.maxTimeout().toMillis()) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw InvalidRequest.of(
          TIMEOUT_HEADER
              + " must be milliseconds between 1 and "
              + config.maxTimeout().toMillis()
              + ".",
          TIMEOUT_HEADER);
    }
  }

  private void respond(RoutingContext ctx, ApiFormat format, LlmRequest request, LlmReply reply) {
    if (ctx.response().ended()) {
      return;
    }
    ModelCatalog catalog = catalogs.get();
    Optional<String> api =
        Optional.ofNullable(reply.getProvider()).flatMap(catalog::provider).map(ProviderSpec::api);
    List<String> dropped = api.map(a -> ApiParameters.dropped(a, request)).orElse(List.of());
    if (!dropped.isEmpty()) {
      ctx.response().putHeader("x-tollgate-dropped-params", String.join(",", dropped));
    }
    if (reply.getProvider() != null) {
      ctx.response().putHeader("x-tollgate-provider", reply.getProvider());
      ctx.response().putHeader("x-tollgate-deployment", reply.getDeploymentId());
      ctx.response().putHeader("x-tollgate-cost-micros", Long.toString(reply.getCostMicros()));
    }
    if (reply.getRouteReason() != null) {
      ctx.response().putHeader("x-tollgate-route-reason", reply.getRouteReason());
    }
    ctx.response().putHeader("x-request-id", reply.getRequestId());
    ctx.response().putHeader("x-tollgate-cache", reply.getCacheHit() ? "hit" : "miss");
    if (reply.getError() != null) {
      for (Map.Entry<String, String> header : reply.getError().getHeaders().entrySet()) {
        ctx.response().putHeader(header.getKey(), header.getValue());
      }
      Long retryAfterMs = reply.getError().getRetryAfterMs();
      if (retryAfterMs != null) {
        ctx.response().putHeader("Retry-After", Long.toString((retryAfterMs + 999) / 1000));
      }
      CompletionJson.error(reply.getError()).send(ctx);
      return;
    }
    format.sendSuccess(ctx, reply);
  }
}
