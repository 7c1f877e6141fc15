package dev.tollgate.formats.openai;

import dev.tollgate.formats.ApiFormat;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.schemas.LlmReply;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/chat/completions}: OpenAI's request body in, a chat completion out. */
public final class OpenAiChatFormat implements ApiFormat {

  private final ChatRequestParser parser;

  /**
   * @param maxInlineBytes the most bytes one part's inline content may decode to
   */
  public OpenAiChatFormat(long maxInlineBytes) {
    this.parser = new ChatRequestParser(maxInlineBytes);
  }

  @Override
  public ParsedRequest parse(String body) throws InvalidRequest {
    return parser.parse(body);
  }

  @Override
  public String idPrefix() {
    return "chatcmpl-";
  }

  @Override
  public void sendSuccess(RoutingContext ctx, LlmReply reply) {
    ApiFormat.sendJson(ctx, CompletionJson.completion(reply));
  }
}
