package dev.tollgate.usage;

import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Instant;

/**
 * Adds one change of a call to a row of spend: a counted call to the spend, an announced one to
 * what is in doubt (at its worst case), a resolved one out of it again. Integer micro-USD, never
 * floating point.
 */
final class Spend {

  private Spend() {}

  /** The team total with {@code change} added; {@code late} when its period tables had closed. */
  static TeamSpend add(TeamSpend total, String teamId, CallChange change, boolean late) {
    TeamSpend spend = total == null ? emptyTotal(teamId) : total;
    UsageEvent event = change.event();
    long sign = doubtSign(change);
    if (sign != 0) {
      return TeamSpend.newBuilder(spend)
          .setInDoubtMicros(inDoubt(spend.getInDoubtMicros(), sign, event))
          .setInDoubtCalls(spend.getInDoubtCalls() + sign)
          .setUpdatedAt(latest(spend.getUpdatedAt(), event.getOccurredAt()))
          .build();
    }
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

  /** {@code row} (or {@code empty} when there is none yet) with {@code change} added. */
  static SpendRow add(SpendRow row, SpendRow empty, CallChange change) {
    SpendRow r = row == null ? empty : row;
    UsageEvent event = change.event();
    long sign = doubtSign(change);
    if (sign != 0) {
      return SpendRow.newBuilder(r)
          .setInDoubtMicros(inDoubt(r.getInDoubtMicros(), sign, event))
          .setInDoubtCalls(r.getInDoubtCalls() + sign)
          .setUpdatedAt(latest(r.getUpdatedAt(), event.getOccurredAt()))
          .build();
    }
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
        .setInDoubtMicros(Math.addExact(a.getInDoubtMicros(), b.getInDoubtMicros()))
        .setInDoubtCalls(a.getInDoubtCalls() + b.getInDoubtCalls())
        .setUpdatedAt(latest(a.getUpdatedAt(), b.getUpdatedAt()))
        .build();
  }

  /** +1 for an announced call, -1 for its resolution, 0 for a counted one. */
  private static long doubtSign(CallChange change) {
    if (change instanceof CallChange.Opened) {
      return 1;
    }
    return change instanceof CallChange.Resolved ? -1 : 0;
  }

  private static long inDoubt(long before, long sign, UsageEvent intent) {
    return Math.addExact(before, Math.multiplyExact(sign, intent.getWorstCaseMicros()));
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
        .setCacheWrite1hTokens(a.getCacheWrite1hTokens() + b.getCacheWrite1hTokens())
        .setOutputTokens(a.getOutputTokens() + b.getOutputTokens())
        .setReasoningTokens(a.getReasoningTokens() + b.getReasoningTokens())
        .build();
  }

  private static Instant latest(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }
}
