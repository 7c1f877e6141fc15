package dev.tollgate.platform.replies;

import dev.tollgate.schemas.Attempt;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topic;
import dev.tollgate.schemas.Topics;
import java.time.Instant;
import java.util.List;

/** Terminal replies and where they go: the one shape every service answers a request with. */
public final class Replies {

  private Replies() {}

  /** The topic {@code request}'s reply goes to: its {@code reply_to}, else the default. */
  public static Topic<String, LlmReply> topicOf(LlmRequest request, Topics topics) {
    String replyTo = request.getReplyTo();
    return replyTo == null || replyTo.isBlank() ? topics.replies() : Topics.replyTopic(replyTo);
  }

  /** An error reply to {@code request}. */
  public static LlmReply error(
      LlmRequest request, ReplyError error, List<Attempt> attempts, Instant at) {
    return LlmReply.newBuilder()
        .setRequestId(request.getRequestId())
        .setTeamId(request.getTeamId())
        .setError(error)
        .setUsage(TokenUsage.newBuilder().build())
        .setAttempts(attempts)
        .setRepliedAt(at)
        .build();
  }

  public static ReplyError errorOf(
      int status, String type, String code, String message, String param) {
    return ReplyError.newBuilder()
        .setHttpStatus(status)
        .setType(type)
        .setCode(code)
        .setMessage(message)
        .setParam(param)
        .build();
  }
}
