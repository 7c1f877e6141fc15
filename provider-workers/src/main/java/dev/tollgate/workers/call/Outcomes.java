package dev.tollgate.workers.call;

import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.PriceCalculator;
import dev.tollgate.platform.deadletter.DeadLetters;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.platform.usage.UsageEvents;
import dev.tollgate.schemas.Attempt;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.CachedReply;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.Embeddings;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ProviderHealth;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topics;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import dev.tollgate.workers.adapter.ProviderResult;
import dev.tollgate.workers.adapter.RetryClassifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a finished call turns into. A success: the reply and one billed usage event. A failure: the
 * request moves to the next deployment of its plan, or, when the plan is spent or the error is the
 * client's own, an error reply and a dead letter. Pure: no I/O, no clock.
 */
public final class Outcomes {

  static final String SERVICE = "provider-workers";

  private final Topics topics;
  private final ModelCatalog catalog;

  public Outcomes(Topics topics, ModelCatalog catalog) {
    this.topics = topics;
    this.catalog = catalog;
  }

  public List<Outgoing> success(
      RoutedRequest routed, ProviderResult.Success result, CallRunner.CallResult call) {
    Attempt attempt = call.attempts().get(call.attempts().size() - 1);
    LlmRequest request = routed.getRequest();
    DeploymentRef deployment = current(routed);
    Deployment priced =
        catalog
            .deployment(deployment.getDeploymentId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "deployment " + deployment.getDeploymentId() + " left the catalog"));
    long cost = PriceCalculator.costMicros(result.usage(), priced.price());
    List<Attempt> attempts = with(routed.getAttempts(), call.attempts());
    LlmReply reply =
        LlmReply.newBuilder()
            .setRequestId(request.getRequestId())
            .setTeamId(request.getTeamId())
            .setCompletion(result.completion())
            .setEmbeddings(
                result.embeddings() == null
                    ? null
                    : Embeddings.newBuilder(result.embeddings())
                        .setEncodingFormat(request.getEmbedding().getEncodingFormat())
                        .build())
            .setUsage(result.usage())
            .setProvider(deployment.getProvider())
            .setDeploymentId(deployment.getDeploymentId())
            .setCostMicros(cost)
            .setLatencyMs(attempt.getLatencyMs())
            .setRouteReason(routed.getRouteReason())
            .setAttempts(attempts)
            .setRepliedAt(attempt.getStartedAt().plusMillis(attempt.getLatencyMs()))
            .build();
    UsageEvent usage =
        usage(
            request,
            deployment,
            attempt.getCallId(),
            UsageKind.BILLED,
            result.usage(),
            cost,
            catalog.priceVersion(),
            attempts.size(),
            reply.getRepliedAt());
    List<Outgoing> out = health(call);
    out.addAll(failedCalls(routed, call));
    out.add(Outgoing.to(Replies.topicOf(request, topics), request.getRequestId(), reply));
    out.add(Outgoing.to(topics.usageEvents(), request.getTeamId(), usage));
    if (routed.getCacheKey() != null && routed.getCacheTtlS() > 0) {
      CachedReply cached =
          CachedReply.newBuilder()
              .setCacheKey(routed.getCacheKey())
              .setTeamId(request.getTeamId())
              .setReply(reply)
              .setStoredAt(reply.getRepliedAt())
              .setExpiresAt(reply.getRepliedAt().plusSeconds(routed.getCacheTtlS()))
              .build();
      out.add(Outgoing.to(topics.responseCache(), request.getTeamId(), cached));
    }
    return out;
  }

  public List<Outgoing> failure(
      RoutedRequest routed,
      ProviderResult.Failure failure,
      CallRunner.CallResult call,
      DeadLetters.Source source,
      Instant now) {
    List<Attempt> attempts = with(routed.getAttempts(), call.attempts());
    List<Outgoing> out = health(call);
    out.addAll(failedCalls(routed, call));
    int next = routed.getStep() + 1;
    if (fallsBack(routed, failure)) {
      RoutedRequest fallback =
          RoutedRequest.newBuilder(routed).setStep(next).setAttempts(attempts).build();
      String provider = routed.getPlan().get(next).getProvider();
      out.add(
          Outgoing.to(
              topics.providerRequests(provider, routed.getRequest().getPriority()),
              routed.getRequest().getRequestId(),
              fallback));
      return out;
    }
    out.addAll(terminal(routed.getRequest(), replyError(failure, attempts), attempts, source, now));
    return out;
  }

  /** The topic {@code request}'s reply goes to. */
  public String replyTopic(LlmRequest request) {
    return Replies.topicOf(request, topics).name();
  }

  /** Whether a failed deployment passes the request on to the next one of its plan. */
  public static boolean fallsBack(RoutedRequest routed, ProviderResult.Failure failure) {
    return !RetryClassifier.isClientError(failure.status())
        && !RetryClassifier.DEADLINE_EXCEEDED.equals(failure.code())
        && routed.getStep() + 1 < routed.getPlan().size();
  }

  /**
   * The error reply and dead letter of a request that will not be served, and the {@code
   * REQUEST_FAILED} usage event that releases its budget reservation.
   */
  public List<Outgoing> terminal(
      LlmRequest request,
      ReplyError error,
      List<Attempt> attempts,
      DeadLetters.Source source,
      Instant now) {
    List<Outgoing> out = new ArrayList<>();
    out.add(
        Outgoing.to(
            Replies.topicOf(request, topics),
            request.getRequestId(),
            Replies.error(request, error, attempts, now)));
    out.addAll(unanswerable(request, error.getMessage(), attempts, source, now));
    return out;
  }

  /**
   * What a request that cannot be answered (its reply topic cannot be written) produces: its dead
   * letter, and the {@code REQUEST_FAILED} usage event that releases its budget reservation.
   */
  public List<Outgoing> unanswerable(
      LlmRequest request,
      String reason,
      List<Attempt> attempts,
      DeadLetters.Source source,
      Instant now) {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setReason(reason)
            .setFailedBy(SERVICE)
            .setSourceTopic(source.topic())
            .setSourcePartition(source.partition())
            .setSourceOffset(source.offset())
            .setSourceKey(request.getRequestId())
            .setHeaders(Map.of())
            .setRequest(request)
            .setAttempts(attempts)
            .setFailedAt(now)
            .build();
    Attempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    UsageEvent ended =
        UsageEvents.of(
                request,
                "end-" + request.getRequestId(),
                UsageKind.REQUEST_FAILED,
                last == null ? "none" : last.getProvider(),
                last == null ? "none" : last.getDeploymentId(),
                "",
                now)
            .setPriceVersion(catalog.priceVersion())
            .setAttempt(attempts.size())
            .build();
    return List.of(
        Outgoing.to(topics.deadLetters(), request.getRequestId(), letter),
        Outgoing.to(topics.usageEvents(), request.getTeamId(), ended));
  }

  /**
   * {@code out} with every reply to a topic that {@code problem} finds unwritable replaced by a
   * dead letter saying why: the call was made (its usage stays), but its answer cannot be
   * delivered.
   */
  public List<Outgoing> undeliverable(
      List<Outgoing> out,
      Function<String, Optional<String>> problem,
      DeadLetters.Source source,
      Instant now) {
    List<Outgoing> kept = new ArrayList<>(out.size());
    for (Outgoing o : out) {
      Optional<String> why =
          o.value() instanceof LlmReply ? problem.apply(o.topic()) : Optional.empty();
      if (why.isEmpty()) {
        kept.add(o);
        continue;
      }
      LlmReply reply = (LlmReply) o.value();
      kept.add(
          Outgoing.to(
              topics.deadLetters(),
              o.key(),
              DeadLetter.newBuilder()
                  .setReason("reply topic unusable: " + why.get())
                  .setFailedBy(SERVICE)
                  .setSourceTopic(source.topic())
                  .setSourcePartition(source.partition())
                  .setSourceOffset(source.offset())
                  .setSourceKey(reply.getRequestId())
                  .setHeaders(Map.of())
                  .setAttempts(reply.getAttempts())
                  .setFailedAt(now)
                  .build()));
    }
    return kept;
  }

  private static ReplyError replyError(ProviderResult.Failure failure, List<Attempt> attempts) {
    if (RetryClassifier.isClientError(failure.status())) {
      return Replies.errorOf(
          failure.status(), "invalid_request_error", failure.code(), failure.message(), null);
    }
    String summary =
        "no deployment could serve the request after "
            + attempts.size()
            + " attempt(s): "
            + String.join(
                "; ",
                attempts.stream()
                    .map(a -> a.getDeploymentId() + " " + a.getOutcome() + " " + a.getError())
                    .toList());
    if (RetryClassifier.DEADLINE_EXCEEDED.equals(failure.code())) {
      // Out of time, not out of deployments: the same answer the API gives at the deadline.
      return Replies.errorOf(
          504, "timeout_error", RetryClassifier.DEADLINE_EXCEEDED, summary, null);
    }
    int status = failure.status() == 429 ? 429 : failure.status() == 0 ? 504 : 502;
    String code = status == 429 ? "rate_limit_exceeded" : "upstream_unavailable";
    return Replies.errorOf(status, "api_error", code, summary, null);
  }

  /** The dead letter of a record on a provider topic that does not decode. */
  public Outgoing poison(
      ConsumerRecord<String, byte[]> record, DeadLetters.Source source, String why, Instant now) {
    return Outgoing.to(
        topics.deadLetters(),
        record.key(),
        DeadLetters.poison(
            SERVICE,
            source,
            record.key(),
            record.value(),
            record.headers(),
            "undecodable: " + why,
            now));
  }

  public static DeploymentRef current(RoutedRequest routed) {
    return routed.getPlan().get(routed.getStep());
  }

  /**
   * A {@code FAILED} usage event (no charge) for each call that got an answer other than success,
   * or never connected; a call that timed out or lost its connection stays in doubt.
   */
  private List<Outgoing> failedCalls(RoutedRequest routed, CallRunner.CallResult call) {
    List<Outgoing> out = new ArrayList<>();
    LlmRequest request = routed.getRequest();
    DeploymentRef deployment = current(routed);
    int number = routed.getAttempts().size();
    for (Attempt attempt : call.attempts()) {
      number++;
      // A call that got no answer may have been billed: its intent stays in doubt.
      if (attempt.getCallId() != null
          && attempt.getOutcome() != AttemptOutcome.SUCCESS
          && attempt.getOutcome() != AttemptOutcome.TIMEOUT) {
        UsageEvent failed =
            usage(
                request,
                deployment,
                attempt.getCallId(),
                UsageKind.FAILED,
                TokenUsage.newBuilder().build(),
                0,
                catalog.priceVersion(),
                number,
                attempt.getStartedAt().plusMillis(attempt.getLatencyMs()));
        out.add(Outgoing.to(topics.usageEvents(), request.getTeamId(), failed));
      }
    }
    return out;
  }

  /** A usage event for one call of {@code request} to {@code deployment}. */
  static UsageEvent usage(
      LlmRequest request,
      DeploymentRef deployment,
      String callId,
      UsageKind kind,
      TokenUsage tokens,
      long costMicros,
      String priceVersion,
      int attempt,
      Instant at) {
    return UsageEvents.of(
            request,
            callId,
            kind,
            deployment.getProvider(),
            deployment.getDeploymentId(),
            deployment.getProviderModel(),
            at)
        .setUsage(tokens)
        .setCostMicros(costMicros)
        .setPriceVersion(priceVersion)
        .setAttempt(attempt)
        .build();
  }

  private List<Outgoing> health(CallRunner.CallResult call) {
    List<Outgoing> out = new ArrayList<>();
    for (ProviderHealth observation : call.observations()) {
      out.add(Outgoing.to(topics.providerHealth(), observation.getDeploymentId(), observation));
    }
    return out;
  }

  private static List<Attempt> with(List<Attempt> earlier, List<Attempt> now) {
    List<Attempt> all = new ArrayList<>(earlier);
    all.addAll(now);
    return all;
  }
}
