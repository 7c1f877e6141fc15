package dev.tollgate.router.governance;

import dev.tollgate.platform.auth.ApiKey;
import dev.tollgate.platform.auth.RequestHeaders;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Who sent a request, and whether they may: the key in its headers must be valid now (not revoked,
 * not past its rotation grace), the record must be keyed by that key's team (the team's state lives
 * in the task that owns that partition), and the team and key must be allowed the model. The
 * request then carries the key's team and id, whatever the sender wrote in those fields.
 */
public final class Admission {

  private final GatewayConfigView config;

  public Admission(GatewayConfigView config) {
    this.config = config;
  }

  /** The admitted request and its key, or the error reply. */
  public record Result(LlmRequest request, ApiKey key, LlmReply refusal) {}

  public Result admit(String recordKey, Headers headers, LlmRequest request, Instant now) {
    Optional<ApiKey> key =
        RequestHeaders.keyHash(headers).flatMap(hash -> config.authenticateHash(hash, now));
    if (key.isEmpty()) {
      // The same answer for a missing, unknown, revoked or expired key: nothing says which.
      return refuse(
          request,
          401,
          "invalid_request_error",
          "invalid_api_key",
          "Incorrect or missing API key: send a valid gateway key in the '"
              + RequestHeaders.API_KEY
              + "' record header.",
          now);
    }
    ApiKey k = key.get();
    if (!k.teamId().equals(recordKey)) {
      return refuse(
          request,
          400,
          "invalid_request_error",
          "wrong_record_key",
          "Requests must be keyed by their team id ('" + k.teamId() + "') on llm-requests.",
          now);
    }
    LlmRequest identified =
        LlmRequest.newBuilder(request).setTeamId(k.teamId()).setKeyId(k.id()).build();
    if (!config.mayUse(k, request.getModel())) {
      return refuse(
          identified,
          403,
          "invalid_request_error",
          "model_not_allowed",
          "This key may not use the model '" + request.getModel() + "'.",
          now);
    }
    return new Result(identified, k, null);
  }

  private static Result refuse(
      LlmRequest request, int status, String type, String code, String message, Instant now) {
    LlmReply reply =
        Replies.error(request, Replies.errorOf(status, type, code, message, null), List.of(), now);
    return new Result(request, null, reply);
  }
}
