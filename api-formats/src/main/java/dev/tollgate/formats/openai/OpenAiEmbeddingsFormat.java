package dev.tollgate.formats.openai;

import dev.tollgate.formats.ApiFormat;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.schemas.LlmReply;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/embeddings}: OpenAI's embeddings request in, its list of embeddings out. */
public final class OpenAiEmbeddingsFormat implements ApiFormat {

  private final EmbeddingsRequestParser parser = new EmbeddingsRequestParser();

  @Override
  public ParsedRequest parse(String body) throws InvalidRequest {
    return parser.parse(body);
  }

  @Override
  public String idPrefix() {
    return "emb-";
  }

  @Override
  public void sendSuccess(RoutingContext ctx, LlmReply reply) {
    ApiFormat.sendJson(ctx, EmbeddingsJson.list(reply));
  }
}
