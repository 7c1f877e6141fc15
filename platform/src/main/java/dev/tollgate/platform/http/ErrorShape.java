package dev.tollgate.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The shape a route's errors are sent in: OpenAI's unless the route says otherwise, so a client of
 * each API reads Tollgate's errors (authentication, body limits, refusals, provider errors) as its
 * SDK expects them.
 */
public enum ErrorShape {
  /** {@code {"error":{"message","type","param","code"}}}. */
  OPENAI {
    @Override
    JsonObject render(OpenAiError e) {
      return e.toJson();
    }
  },
  /**
   * Anthropic's {@code {"type":"error","error":{"type","message"}}}, its type following the HTTP
   * status as Anthropic documents it (a 503 is its overloaded_error); the status is kept.
   */
  ANTHROPIC {
    @Override
    JsonObject render(OpenAiError e) {
      return new JsonObject()
          .put("type", "error")
          .put(
              "error",
              new JsonObject().put("type", anthropicType(e.status())).put("message", e.message()));
    }
  };

  private static final String KEY = "tollgate.error-shape";

  abstract JsonObject render(OpenAiError e);

  /** A route handler: the rest of this request's errors go in this shape. */
  public void apply(RoutingContext ctx) {
    ctx.put(KEY, this);
    ctx.next();
  }

  static ErrorShape of(RoutingContext ctx) {
    ErrorShape shape = ctx.get(KEY);
    return shape == null ? OPENAI : shape;
  }

  private static String anthropicType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
