package dev.tollgate.formats.anthropic;

import dev.tollgate.formats.ApiFormat;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.schemas.LlmReply;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/messages}: Anthropic's request body in, an Anthropic message out. */
public final class MessagesFormat implements ApiFormat {

  private final MessagesRequestParser parser;

  /**
   * @param maxInlineBytes the most bytes one block's inline content may decode to
   */
  public MessagesFormat(long maxInlineBytes) {
    this.parser = new MessagesRequestParser(maxInlineBytes);
  }

  @Override
  public ParsedRequest parse(String body) throws InvalidRequest {
    return parser.parse(body);
  }

  /** A {@code /v1/messages/count_tokens} body. */
  public ParsedRequest parseCount(String body) throws InvalidRequest {
    return parser.parseCount(body);
  }

  @Override
  public String idPrefix() {
    return "msg_";
  }

  @Override
  public void sendSuccess(RoutingContext ctx, LlmReply reply) {
    try {
      ApiFormat.sendJson(ctx, MessageJson.message(reply));
    } catch (MessageJson.NotAnObject e) {
      new OpenAiError(502, "api_error", "invalid_tool_arguments", e.getMessage(), null).send(ctx);
    }
  }
}
