package dev.tollgate.ingest;

import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.formats.anthropic.MessagesFormat;
import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.catalog.TokenEstimate;
import dev.tollgate.platform.http.OpenAiError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /v1/messages/count_tokens}: the prompt's tokens as Tollgate estimates them, the
 * number budgets reserve for (the most over the model's deployments: OpenAI's own tokenizer for
 * OpenAI models, an estimate that errs high for the others, whose tokenizers are not published). No
 * provider is called, so it costs nothing and is not rate limited; it is not Anthropic's exact
 * count, and the {@code x-tollgate-token-count: estimate} header says so.
 */
final class TokenCounts {

  private final Supplier<ModelCatalog> catalogs;
  private final MessagesFormat format;

  TokenCounts(Supplier<ModelCatalog> catalogs, long maxInlineBytes) {
    this.catalogs = catalogs;
    this.format = new MessagesFormat(maxInlineBytes);
  }

  void count(RoutingContext ctx) {
    ParsedRequest chat;
    try {
      chat = format.parseCount(ctx.body().asString());
    } catch (InvalidRequest e) {
      e.error().send(ctx);
      return;
    }
    ModelCatalog catalog = catalogs.get();
    Optional<Route> route = catalog.route(chat.model());
    if (route.isEmpty()) {
      OpenAiError.notFound("model_not_found", "model: " + chat.model(), "model").send(ctx);
      return;
    }
    long tokens = 0;
    for (Deployment d : catalog.candidates(route.get())) {
      String api = catalog.provider(d.provider()).orElseThrow().api();
      tokens =
          Math.max(
              tokens,
              TokenEstimate.promptTokens(
                  chat.messages(), chat.params().getToolsJson(), api, d.model()));
    }
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("x-tollgate-token-count", "estimate")
        .end(new JsonObject().put("input_tokens", tokens).encode());
  }
}
