package dev.tollgate.ingest.async;

import dev.tollgate.formats.openai.CompletionJson;
import dev.tollgate.schemas.AsyncRequest;
import dev.tollgate.schemas.LlmReply;
import io.vertx.core.json.JsonObject;

/** Async requests in JSON: the 202 answer, and the result posted to a callback. */
final class AsyncJson {

  static final String OBJECT = "chat.completion.request";

  private AsyncJson() {}

  /** What a request is while its reply is not there yet. */
  static JsonObject pending(AsyncRequest request) {
    return new JsonObject()
        .put("id", request.getRequestId())
        .put("object", OBJECT)
        .put("status", "in_progress")
        .put("created_at", request.getCreatedAt().getEpochSecond());
  }

  /** The reply as the synchronous endpoint would have answered: status code and body. */
  static JsonObject result(LlmReply reply) {
    return new JsonObject()
        .put("id", reply.getRequestId())
        .put("object", OBJECT)
        .put("status", reply.getError() == null ? "completed" : "failed")
        .put("status_code", statusCode(reply))
        .put("body", body(reply));
  }

  static int statusCode(LlmReply reply) {
    return reply.getError() == null ? 200 : reply.getError().getHttpStatus();
  }

  static JsonObject body(LlmReply reply) {
    return reply.getError() == null
        ? CompletionJson.completion(reply)
        : CompletionJson.error(reply.getError()).toJson();
  }
}
