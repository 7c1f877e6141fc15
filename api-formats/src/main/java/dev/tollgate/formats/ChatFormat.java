package dev.tollgate.formats;

import dev.tollgate.schemas.LlmReply;
import io.vertx.ext.web.RoutingContext;

/**
 * One API's wire format for a chat request (OpenAI's chat completions, Anthropic's messages): how
 * its body reads into the contract and how a successful reply is sent back. Errors are sent in the
 * route's {@link dev.tollgate.platform.http.ErrorShape}.
 */
public interface ChatFormat {

  /** The body read into the contract and checked; a refusal names the field. */
  ParsedChat parse(String body) throws InvalidRequest;

  /** The prefix of the ids minted for this API's requests ({@code chatcmpl-}, {@code msg_}). */
  String idPrefix();

  /** Ends {@code ctx}'s response with {@code reply}'s completion in this API's shape. */
  void sendCompletion(RoutingContext ctx, LlmReply reply);
}
