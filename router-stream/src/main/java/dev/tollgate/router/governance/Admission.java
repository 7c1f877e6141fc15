package dev.tollgate.router.governance;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.auth.RequestHeaders.Credential;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who sent a request, and whether they may: the key in its credential must be valid now (not
 * revoked, not past its rotation grace), the record must be keyed by that key's team (the team's
 * state lives in the task that owns that partition), and the team and key must be allowed the
 * model. The request then carries the key's team and id, whatever the sender wrote in those fields.
 */
public final class Admission {

  /** The message of every refused credential: nothing says which check failed. */
  public static final String BAD_KEY =
      "Incorrect or missing API key: send a valid gateway key in the '"
          + RequestHeaders.API_KEY
          + "' record header.";

  private final GatewayConfigView config;

  public Admission(GatewayConfigView config) {
    this.config = config;
  }

  /**
   * The request (identified, once its key is known), its key (null if none is valid: the request
   * cannot be answered anywhere), and the error reply, if it is refused.
   */
  public record Result(LlmRequest request, ApiKey key, LlmReply refusal) {}

  public Result admit(String recordKey, Credential credential, LlmRequest request, Instant now) {
    Optional<ApiKey> key = credential.keyHash().flatMap(hash -> config.authenticateHash(hash, now));
    if (key.isEmpty()) {
      // The same answer for a missing, unknown, revoked, expired or unsigned key.
      return refuse(request, null, 401, "invalid_api_key", BAD_KEY, now);
    }
    ApiKey k = key.get();
    LlmRequest identified =
        LlmRequest.newBuilder(request).setTeamId(k.teamId()).setKeyId(k.id()).build();
    if (!k.teamId().equals(recordKey)) {
      return refuse(
          identified,
          k,
          400,
          "wrong_record_key",
          "Requests must be keyed by their team id ('" + k.teamId() + "') on llm-requests.",
          now);
    }
    if (!config.mayUse(k, request.getModel())) {
      return refuse(
          identified,
          k,
          403,
          "model_not_allowed",
          "This key may not use the model '" + request.getModel() + "'.",
          now);
    }
    return new Result(identified, k, null);
  }

  private static Result refuse(
      LlmRequest request, ApiKey key, int status, String code, String message, Instant now) {
    LlmReply reply =
        Replies.error(
            request,
            Replies.errorOf(status, "invalid_request_error", code, message, null),
            List.of(),
            now);
    return new Result(request, key, reply);
  }
}
