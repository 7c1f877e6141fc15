package dev.tollgate.usage;

import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Instant;

/** Adds one usage event to a team's running spend. Integer micro-USD, never floating point. */
final class SpendAggregator {

  private SpendAggregator() {}

  /** The spend of a team with no usage yet; {@link #add} names the team. */
  static TeamSpend empty() {
    return TeamSpend.newBuilder()
        .setTeamId("")
        .setUsage(TokenUsage.newBuilder().build())
        .setUpdatedAt(Instant.EPOCH)
        .build();
  }

  static TeamSpend add(String teamId, UsageEvent event, TeamSpend spend) {
    TokenUsage u = spend.getUsage();
    TokenUsage e = event.getUsage();
    boolean cacheHit = event.getKind() == UsageKind.CACHE_HIT;
    Instant latest =
        event.getOccurredAt().isAfter(spend.getUpdatedAt())
            ? event.getOccurredAt()
            : spend.getUpdatedAt();
    return TeamSpend.newBuilder()
        .setTeamId(teamId)
        .setCostMicros(Math.addExact(spend.getCostMicros(), event.getCostMicros()))
        .setCalls(spend.getCalls() + (cacheHit ? 0 : 1))
        .setCacheHits(spend.getCacheHits() + (cacheHit ? 1 : 0))
        .setUsage(
            TokenUsage.newBuilder()
                .setInputTokens(u.getInputTokens() + e.getInputTokens())
                .setCachedInputTokens(u.getCachedInputTokens() + e.getCachedInputTokens())
                .setCacheWriteTokens(u.getCacheWriteTokens() + e.getCacheWriteTokens())
                .setOutputTokens(u.getOutputTokens() + e.getOutputTokens())
                .setReasoningTokens(u.getReasoningTokens() + e.getReasoningTokens())
                .build())
        .setUpdatedAt(latest)
        .build();
  }
}
