package dev.tollgate.router.governance;

import dev.tollgate.platform.governance.Periods;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.BudgetReservation;
import dev.tollgate.schemas.BudgetTally;
import dev.tollgate.schemas.InDoubtCall;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spend and reservations per scope ({@code team:<id>}, {@code key:<id>}) and period (the day and
 * month in the team's time zone, and all time), in integer micro-USD.
 *
 * <p>A request is admitted only if, for every hard cap that applies, spend plus open reservations
 * plus its own worst-case cost stays within the cap; it then holds that worst case until its usage
 * settles it (to the actual cost) or its failure releases it. Requests of one team are decided one
 * at a time in the task that owns the team, so no two can both take the last of a budget.
 *
 * <p>A provider call whose outcome is unknown (announced, never resolved: a crash lost it, or it
 * got no answer) may still have been billed, so it is charged at its worst case: covered by its
 * request's reservation while that lasts, then counted as in doubt in every period of the call,
 * until an outcome resolves it, or for good. So spend plus in doubt is never below what the
 * provider billed, and a crash cannot overrun a cap.
 */
public final class BudgetLedger {

  private final StateMap<BudgetTally> tallies;
  private final StateMap<BudgetReservation> reservations;
  private final StateMap<InDoubtCall> calls;

  public BudgetLedger(
      StateMap<BudgetTally> tallies,
      StateMap<BudgetReservation> reservations,
      StateMap<InDoubtCall> calls) {
    this.tallies = tallies;
    this.reservations = reservations;
    this.calls = calls;
  }

  /** A hard cap of one scope over one period. */
  public record Cap(String scope, BudgetPeriod period, long hardCapMicros) {}

  /** Who pays: the team and key, and where the team's days begin. */
  public record Payer(String teamId, String keyId, ZoneId zone) {

    String teamScope() {
      return "team:" + teamId;
    }

    String keyScope() {
      return "key:" + keyId;
    }
  }

  /**
   * Reserves {@code amountMicros} for {@code requestId}, or says which cap it would break. A
   * request that already holds a reservation (a replay) is admitted as it is.
   */
  public Optional<String> reserve(
      String requestId,
      Payer payer,
      List<Cap> caps,
      long amountMicros,
      Instant now,
      Instant expiresAt) {
    if (reservations.get(requestId) != null) {
      return Optional.empty();
    }
    for (Cap cap : caps) {
      String key = tallyKey(cap.scope(), cap.period(), payer.zone(), now);
      BudgetTally tally = tally(key);
      long committed =
          Math.addExact(
              Math.addExact(tally.getSpentMicros(), tally.getReservedMicros()),
              tally.getInDoubtMicros());
      if (Math.addExact(committed, amountMicros) > cap.hardCapMicros()) {
        return Optional.of(
            "Budget exceeded for "
                + cap.scope()
                + ": the "
                + periodLabel(cap.period())
                + " cap is "
                + usd(cap.hardCapMicros())
                + ", spent "
                + usd(tally.getSpentMicros())
                + ", reserved by requests in flight "
                + usd(tally.getReservedMicros())
                + inDoubt(tally)
                + ", and this request may cost up to "
                + usd(amountMicros)
                + ".");
      }
    }
    // Reserved only where a cap looks; spend (below) is kept for every period, capped or not.
    List<String> keys =
        caps.stream()
            .map(cap -> tallyKey(cap.scope(), cap.period(), payer.zone(), now))
            .distinct()
            .toList();
    for (String key : keys) {
      BudgetTally tally = tally(key);
      tally.setReservedMicros(Math.addExact(tally.getReservedMicros(), amountMicros));
      tallies.put(key, tally);
    }
    reservations.put(
        requestId,
        new BudgetReservation(payer.teamId(), amountMicros, keys, new ArrayList<>(), expiresAt));
    return Optional.empty();
  }

  /**
   * A call of {@code requestId} announced before it is made, at most {@code worstCaseMicros}:
   * covered by the request's reservation while it holds one and covers no other open call, else
   * counted as in doubt at once (a retry after a call that got no answer, a request that is over or
   * was never reserved). A call announced again (a replay) is not counted twice.
   */
  public void open(String callId, String requestId, Payer payer, long worstCaseMicros, Instant at) {
    if (worstCaseMicros <= 0 || calls.get(callId) != null) {
      return;
    }
    InDoubtCall call = new InDoubtCall(requestId, worstCaseMicros, tallyKeys(payer, at), false);
    BudgetReservation held = reservations.get(requestId);
    if (held == null || held.getOpenCalls().stream().anyMatch(this::isCovered)) {
      calls.put(callId, charge(call));
      return;
    }
    List<String> open = new ArrayList<>(held.getOpenCalls());
    open.add(callId);
    reservations.put(requestId, BudgetReservation.newBuilder(held).setOpenCalls(open).build());
    calls.put(callId, call);
  }

  /** A call resolved (billed, failed, answered from the cache): it is no longer in doubt. */
  public void resolve(String callId) {
    InDoubtCall call = calls.get(callId);
    if (call == null) {
      return;
    }
    if (call.getCharged()) {
      addInDoubt(call.getTallies(), -call.getAmountMicros());
    }
    calls.delete(callId);
  }

  /** A billed call of {@code requestId}: its reservation ends and its cost counts as spent. */
  public void settle(String requestId, Payer payer, long costMicros, Instant at) {
    release(requestId);
    for (String key : tallyKeys(payer, at)) {
      BudgetTally tally = tally(key);
      tally.setSpentMicros(Math.addExact(tally.getSpentMicros(), costMicros));
      tallies.put(key, tally);
    }
  }

  /**
   * Ends {@code requestId}'s reservation, if it holds one, without spending anything; its calls
   * still unresolved are counted as in doubt from now on.
   */
  public void release(String requestId) {
    BudgetReservation held = reservations.get(requestId);
    if (held == null) {
      return;
    }
    for (String key : held.getTallies()) {
      BudgetTally tally = tally(key);
      tally.setReservedMicros(Math.max(0, tally.getReservedMicros() - held.getAmountMicros()));
      tallies.put(key, tally);
    }
    reservations.delete(requestId);
    for (String callId : held.getOpenCalls()) {
      InDoubtCall call = calls.get(callId);
      if (call != null && !call.getCharged()) {
        calls.put(callId, charge(call));
      }
    }
  }

  /** Whether {@code callId} is open and counted only by its request's reservation. */
  private boolean isCovered(String callId) {
    InDoubtCall call = calls.get(callId);
    return call != null && !call.getCharged();
  }

  private InDoubtCall charge(InDoubtCall call) {
    addInDoubt(call.getTallies(), call.getAmountMicros());
    return InDoubtCall.newBuilder(call).setCharged(true).build();
  }

  private void addInDoubt(List<String> keys, long micros) {
    for (String key : keys) {
      BudgetTally tally = tally(key);
      tally.setInDoubtMicros(Math.max(0, Math.addExact(tally.getInDoubtMicros(), micros)));
      tallies.put(key, tally);
    }
  }

  /** Releases every reservation that has outlived its request; returns how many. */
  public int releaseExpired(Instant now) {
    List<String> expired = new ArrayList<>();
    reservations.forEach(
        (id, r) -> {
          if (!r.getExpiresAt().isAfter(now)) {
            expired.add(id);
          }
        });
    expired.forEach(this::release);
    return expired.size();
  }

  /** What {@code scope} has spent and holds in {@code period} as of {@code at}. */
  public BudgetTally tally(String scope, BudgetPeriod period, ZoneId zone, Instant at) {
    return tally(tallyKey(scope, period, zone, at));
  }

  private BudgetTally tally(String key) {
    BudgetTally tally = tallies.get(key);
    return tally == null ? new BudgetTally(0L, 0L, 0L) : BudgetTally.newBuilder(tally).build();
  }

  private static List<String> tallyKeys(Payer payer, Instant at) {
    List<String> keys = new ArrayList<>();
    for (String scope : List.of(payer.teamScope(), payer.keyScope())) {
      for (BudgetPeriod period :
          List.of(BudgetPeriod.DAY, BudgetPeriod.MONTH, BudgetPeriod.TOTAL)) {
        keys.add(tallyKey(scope, period, payer.zone(), at));
      }
    }
    return keys;
  }

  /** The tally of {@code scope} for the {@code period} that contains {@code at} in {@code zone}. */
  static String tallyKey(String scope, BudgetPeriod period, ZoneId zone, Instant at) {
    return switch (period) {
      case DAY -> scope + "|day:" + Periods.day(at, zone);
      case MONTH -> scope + "|month:" + Periods.month(at, zone);
      default -> scope + "|total";
    };
  }

  private static String inDoubt(BudgetTally tally) {
    return tally.getInDoubtMicros() == 0
        ? ""
        : ", in doubt (calls whose outcome is unknown) " + usd(tally.getInDoubtMicros());
  }

  private static String periodLabel(BudgetPeriod period) {
    return switch (period) {
      case DAY -> "daily";
      case MONTH -> "monthly";
      default -> "total";
    };
  }

  /** Micro-USD as dollars, exactly: 1234567 -> "$1.234567". */
  public static String usd(long micros) {
    return "$" + BigDecimal.valueOf(micros, 6).toPlainString();
  }
}
