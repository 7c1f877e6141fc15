package dev.tollgate.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An error in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with the HTTP
 * status it is sent with. Every HTTP error Tollgate answers goes through here, so clients written
 * for OpenAI handle Tollgate's errors unchanged.
 */
public record OpenAiError(int status, String type, String code, String message, String param) {

  public static OpenAiError invalidRequest(String message, String param) {
    return new OpenAiError(400, "invalid_request_error", null, message, param);
  }

  public static OpenAiError unauthorized(String message) {
    return new OpenAiError(401, "invalid_request_error", "invalid_api_key", message, null);
  }

  public static OpenAiError forbidden(String message) {
    return new OpenAiError(403, "invalid_request_error", "forbidden", message, null);
  }

  public static OpenAiError notFound(String code, String message, String param) {
    return new OpenAiError(404, "invalid_request_error", code, message, param);
  }

  public static OpenAiError tooLarge(String message) {
    return new OpenAiError(413, "invalid_request_error", "request_too_large", message, null);
  }

  public static OpenAiError timeout(String message) {
    return new OpenAiError(504, "timeout_error", "deadline_exceeded", message, null);
  }

  public static OpenAiError internal(String message) {
    return new OpenAiError(500, "server_error", null, message, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code));
  }

  /** Ends {@code ctx}'s response with this error, in the route's {@link ErrorShape}. */
  public void send(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(ErrorShape.of(ctx).render(this).encode());
  }
}
