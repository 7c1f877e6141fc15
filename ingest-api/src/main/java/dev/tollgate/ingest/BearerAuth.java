package dev.tollgate.ingest;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.OpenAiError;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Gateway-key authentication for the API's routes: the key as a bearer token ({@code Authorization:
 * Bearer}, as OpenAI's clients send it) or in {@code x-api-key} (as Anthropic's do), looked up by
 * its hash in the gateway config as of {@code clock}; failures limited per source address ({@link
 * AuthFailures}).
 */
final class BearerAuth {

  private final GatewayConfigView keys;
  private final AuthFailures failures;
  private final Clock clock;

  BearerAuth(GatewayConfigView keys, AuthFailures failures, Clock clock) {
    this.keys = keys;
    this.failures = failures;
    this.clock = clock;
  }

  /** Runs {@code then} with the caller's key and its hash, or answers 401 (or 429). */
  void check(RoutingContext ctx, BiConsumer<ApiKey, String> then) {
    String source = ctx.request().remoteAddress().hostAddress();
    if (!failures.allowed(source)) {
      ctx.response().putHeader("Retry-After", "60");
      new OpenAiError(
              429,
              "rate_limit_error",
              "too_many_failed_authentications",
              "Too many failed authentications from this address; try again later.",
              null)
          .send(ctx);
      return;
    }
    Optional<String> secret = GatewayKeys.bearer(ctx.request().getHeader("Authorization"));
    String apiKey = ctx.request().getHeader("x-api-key");
    if (secret.isEmpty() && apiKey != null && !apiKey.isBlank()) {
      secret = Optional.of(apiKey.trim());
    }
    if (secret.isEmpty()) {
      failures.failed(source);
      OpenAiError.unauthorized(
              "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or in"
                  + " 'x-api-key'.")
          .send(ctx);
      return;
    }
    // Looked up by hash: the secret is never compared, so no timing tells how close a guess was.
    String hash = KeyHash.sha256(secret.get());
    Optional<ApiKey> key = keys.authenticateHash(hash, clock.instant());
    if (key.isEmpty()) {
      failures.failed(source);
      // The same answer for an unknown, revoked or expired key.
      OpenAiError.unauthorized("Incorrect API key provided.").send(ctx);
      return;
    }
    then.accept(key.get(), hash);
  }
}
