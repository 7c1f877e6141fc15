package dev.tollgate.mock;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Azure OpenAI: OpenAI's body and answers, the deployment (the mock's model name) in the path, an
 * {@code api-key} header and an {@code api-version} parameter.
 */
final class AzureOpenAiFormat implements WireFormat {

  private final OpenAiFormat openAi = new OpenAiFormat();

  @Override
  public boolean authenticated(RoutingContext ctx) {
    return ctx.request().getHeader("api-key") != null
        && ctx.request().getParam("api-version") != null;
  }

  @Override
  public MockCall parse(String provider, RoutingContext ctx, JsonObject body) {
    MockCall call = openAi.parse(provider, ctx, body);
    return new MockCall(
        provider,
        ctx.pathParam("deployment"),
        call.texts(),
        call.lastUserText(),
        call.maxTokens(),
        call.forcedTool(),
        call.n(),
        call.thinks(),
        call.cache());
  }

  @Override
  public JsonObject success(String id, MockCall call, MockUsage usage, Instant now) {
    return openAi.success(id, call, usage, now);
  }

  @Override
  public BilledTokens billed(JsonObject success) {
    return openAi.billed(success);
  }

  @Override
  public JsonObject error(int status, String type, String message) {
    return openAi.error(status, type, message);
  }
}
