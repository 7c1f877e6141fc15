package dev.tollgate.formats;

import dev.tollgate.schemas.LlmReply;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One API's wire format (OpenAI's chat completions and embeddings, Anthropic's messages): how its
 * body reads into the contract and how a successful reply is sent back. Errors are sent in the
 * route's {@link dev.tollgate.platform.http.ErrorShape}.
 */
public interface ApiFormat {

  /** The body read into the contract and checked; a refusal names the field. */
  ParsedRequest parse(String body) throws InvalidRequest;

  /** The prefix of the ids minted for this API's requests ({@code chatcmpl-}, {@code msg_}). */
  String idPrefix();

  /** Ends {@code ctx}'s response with a successful {@code reply} in this API's shape. */
  void sendSuccess(RoutingContext ctx, LlmReply reply);

  /** Ends {@code ctx}'s response with {@code body} as JSON. */
  static void sendJson(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
