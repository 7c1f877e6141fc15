package dev.tollgate.platform.usage;

import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Instant;

/**
 * Starts every usage event Tollgate writes (billed, failed and in-doubt calls, cache hits, ended
 * requests): the request's ids, team, key and model, what served it, when. What the kind adds
 * (tokens, cost, price version, attempt, worst case) the caller sets; unset, they are nothing: no
 * tokens, no cost, attempt 0.
 */
public final class UsageEvents {

  private UsageEvents() {}

  /**
   * @param callId the event's id, unique per call (the aggregator counts each once)
   * @param provider who served it ({@code cache}, {@code none} where nobody did)
   */
  public static UsageEvent.Builder of(
      LlmRequest request,
      String callId,
      UsageKind kind,
      String provider,
      String deploymentId,
      String providerModel,
      Instant at) {
    return UsageEvent.newBuilder()
        .setCallId(callId)
        .setRequestId(request.getRequestId())
        .setTeamId(request.getTeamId())
        .setKeyId(request.getKeyId())
        .setKind(kind)
        .setModel(request.getModel())
        .setProvider(provider)
        .setDeploymentId(deploymentId)
        .setProviderModel(providerModel)
        .setUsage(TokenUsage.newBuilder().build())
        .setCostMicros(0)
        .setPriceVersion("")
        .setAttempt(0)
        .setOccurredAt(at);
  }
}
