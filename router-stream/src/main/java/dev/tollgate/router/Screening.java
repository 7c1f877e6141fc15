package dev.tollgate.router;

import dev.tollgate.platform.deadletter.DeadLetters;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.platform.replies.ReplyPolicy;
import dev.tollgate.platform.requests.RequestValidator;
import dev.tollgate.router.governance.Admission;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What a request must pass before it is routed, in order: where it may be answered ({@link
 * ReplyPolicy}: a topic of the key's team, or of the record key's team when no key is valid, that
 * this router can write; else it is only dead-lettered and the topic it names is never written);
 * its key's refusal, if any; every field ({@link RequestValidator}, as for an HTTP body); and its
 * id ({@link SeenRequests}: a replay is dropped, a reused id refused). Its deadline is then held to
 * the longest a request may wait.
 */
final class Screening {

  /** A request that passed, with the reply topic it will be answered on, or the decision. */
  record Outcome(LlmRequest request, Optional<RouteDecision> decision) {}

  private final String service;
  private final ReplyPolicy replyPolicy;
  private final RouterTopology.Checks checks;
  private final GatewayConfigView config;
  private final SeenRequests seen;

  Screening(
      String service,
      ReplyPolicy replyPolicy,
      RouterTopology.Checks checks,
      GatewayConfigView config,
      SeenRequests seen) {
    this.service = service;
    this.replyPolicy = replyPolicy;
    this.checks = checks;
    this.config = config;
    this.seen = seen;
  }

  /**
   * The screened request, or what to do instead; an empty decision and a null request mean "drop
   * it" (a replay of a request already taken).
   */
  Outcome screen(
      FixedKeyRecord<String, RequestIntake.Intake> record,
      RecordMetadata meta,
      Admission.Result admitted,
      Instant now) {
    String team = admitted.key() != null ? admitted.key().teamId() : record.key();
    String unauthenticated = admitted.key() == null ? "401 invalid_api_key: " : "";
    if (team == null || team.isBlank()) {
      return deadLetter(record, meta, admitted.request(), unauthenticated + "no record key", now);
    }
    ReplyPolicy.Verdict where =
        replyPolicy.check(
            team,
            config.team(team),
            admitted.key() != null && record.value().credential().vouched(),
            admitted.request().getReplyTo());
    if (!where.allowed()) {
      return deadLetter(record, meta, admitted.request(), unauthenticated + where.refusal(), now);
    }
    Optional<String> unwritable = checks.replyTopics().problem(where.topic());
    if (unwritable.isPresent()) {
      return deadLetter(
          record,
          meta,
          admitted.request(),
          unauthenticated + "reply topic unusable: " + unwritable.get(),
          now);
    }
    LlmRequest request =
        LlmRequest.newBuilder(admitted.request()).setReplyTo(where.topic()).build();
    LlmReply refusal = admitted.refusal();
    if (refusal != null) {
      // A record keyed by another team is a bad record: its sender hears of it, and so does the
      // operator. A model the key may not use is policy, answered like a rate limit.
      boolean bad = "wrong_record_key".equals(refusal.getError().getCode());
      return rejected(record, meta, request, refusal, bad, now);
    }
    Optional<RequestValidator.Problem> invalid = RequestValidator.check(request);
    if (invalid.isPresent()) {
      return rejected(
          record,
          meta,
          request,
          error(request, 400, "invalid_request_error", null, invalid.get(), now),
          true,
          now);
    }
    SeenRequests.Verdict verdict =
        seen.see(
            team,
            request.getRequestId(),
            record.value().fingerprint(),
            meta.topic() + "-" + meta.partition() + "@" + meta.offset(),
            now);
    switch (verdict) {
      case REPLAYED:
        return new Outcome(null, Optional.empty());
      case CONFLICT:
        return rejected(
            record,
            meta,
            request,
            error(
                request,
                409,
                "invalid_request_error",
                "duplicate_request_id",
                new RequestValidator.Problem(
                    "request_id '"
                        + request.getRequestId()
                        + "' was already used for another request.",
                    "request_id"),
                now),
            true,
            now);
      default:
        break;
    }
    Instant latest = now.plus(checks.maxRequestTimeout());
    if (request.getDeadlineAt().isAfter(latest)) {
      request.setDeadlineAt(latest);
    }
    return new Outcome(request, Optional.empty());
  }

  private static LlmReply error(
      LlmRequest request,
      int status,
      String type,
      String code,
      RequestValidator.Problem problem,
      Instant now) {
    return Replies.error(
        request,
        Replies.errorOf(status, type, code, problem.message(), problem.param()),
        List.of(),
        now);
  }

  private Outcome rejected(
      FixedKeyRecord<String, RequestIntake.Intake> record,
      RecordMetadata meta,
      LlmRequest request,
      LlmReply reply,
      boolean badRecord,
      Instant now) {
    Optional<DeadLetter> letter =
        badRecord
            ? Optional.of(letter(record, meta, request, reply.getError().getMessage(), now))
            : Optional.empty();
    return new Outcome(request, Optional.of(new RouteDecision.Rejected(request, reply, letter)));
  }

  private Outcome deadLetter(
      FixedKeyRecord<String, RequestIntake.Intake> record,
      RecordMetadata meta,
      LlmRequest request,
      String reason,
      Instant now) {
    return new Outcome(
        request,
        Optional.of(new RouteDecision.DeadLettered(letter(record, meta, request, reason, now))));
  }

  private DeadLetter letter(
      FixedKeyRecord<String, RequestIntake.Intake> record,
      RecordMetadata meta,
      LlmRequest request,
      String reason,
      Instant now) {
    return DeadLetters.refused(
        service,
        new DeadLetters.Source(meta.topic(), meta.partition(), meta.offset()),
        record.key(),
        request,
        record.headers(),
        reason,
        now);
  }
}
