package dev.tollgate.usage;

import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Instant;

/** Adds one counted usage event to a row of spend. Integer micro-USD, never floating point. */
final class Spend {

  private Spend() {}

  /** The team total with {@code event} added; {@code late} when its period tables had closed. */
  static TeamSpend add(TeamSpend total, String teamId, UsageEvent event, boolean late) {
    TeamSpend spend = total == null ? emptyTotal(teamId) : total;
    boolean cacheHit = event.getKind() == UsageKind.CACHE_HIT;
    return TeamSpend.newBuilder(spend)
        .setCostMicros(Math.addExact(spend.getCostMicros(), event.getCostMicros()))
        .setCalls(spend.getCalls() + (cacheHit ? 0 : 1))
        .setCacheHits(spend.getCacheHits() + (cacheHit ? 1 : 0))
        .setUsage(add(spend.getUsage(), event.getUsage()))
        .setLateCalls(spend.getLateCalls() + (late ? 1 : 0))
        .setUpdatedAt(latest(spend.getUpdatedAt(), event.getOccurredAt()))
        .build();
  }

  /** {@code row} (or {@code empty} when there is none yet) with {@code event} added. */
  static SpendRow add(SpendRow row, SpendRow empty, UsageEvent event) {
    SpendRow r = row == null ? empty : row;
    boolean cacheHit = event.getKind() == UsageKind.CACHE_HIT;
    return SpendRow.newBuilder(r)
        .setCostMicros(Math.addExact(r.getCostMicros(), event.getCostMicros()))
        .setCalls(r.getCalls() + (cacheHit ? 0 : 1))
        .setCacheHits(r.getCacheHits() + (cacheHit ? 1 : 0))
        .setUsage(add(r.getUsage(), event.getUsage()))
        .setUpdatedAt(latest(r.getUpdatedAt(), event.getOccurredAt()))
        .build();
  }

  /** Two rows summed, keeping {@code a}'s dimensions. */
  static SpendRow sum(SpendRow a, SpendRow b) {
    return SpendRow.newBuilder(a)
        .setCostMicros(Math.addExact(a.getCostMicros(), b.getCostMicros()))
        .setCalls(a.getCalls() + b.getCalls())
        .setCacheHits(a.getCacheHits() + b.getCacheHits())
        .setUsage(add(a.getUsage(), b.getUsage()))
        .setUpdatedAt(latest(a.getUpdatedAt(), b.getUpdatedAt()))
        .build();
  }

  static TeamSpend emptyTotal(String teamId) {
    return TeamSpend.newBuilder()
        .setTeamId(teamId)
        .setUsage(TokenUsage.newBuilder().build())
        .setUpdatedAt(Instant.EPOCH)
        .build();
  }

  /** An empty row with the given dimensions ("" for those a table does not have). */
  static SpendRow emptyRow(
      String teamId, String period, String model, String provider, String keyId) {
    return SpendRow.newBuilder()
        .setTeamId(teamId)
        .setPeriod(period)
        .setModel(model)
        .setProvider(provider)
        .setKeyId(keyId)
        .setUsage(TokenUsage.newBuilder().build())
        .setUpdatedAt(Instant.EPOCH)
        .build();
  }

  private static TokenUsage add(TokenUsage a, TokenUsage b) {
    return TokenUsage.newBuilder()
        .setInputTokens(a.getInputTokens() + b.getInputTokens())
        .setCachedInputTokens(a.getCachedInputTokens() + b.getCachedInputTokens())
        .setCacheWriteTokens(a.getCacheWriteTokens() + b.getCacheWriteTokens())
        .setOutputTokens(a.getOutputTokens() + b.getOutputTokens())
        .setReasoningTokens(a.getReasoningTokens() + b.getReasoningTokens())
        .build();
  }

  private static Instant latest(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }
}
