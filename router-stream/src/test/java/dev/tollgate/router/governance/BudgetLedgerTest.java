package dev.tollgate.router.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.BudgetReservation;
import dev.tollgate.schemas.BudgetTally;
import dev.tollgate.schemas.InDoubtCall;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {

  private final MapState<BudgetTally> tallies = new MapState<>();
  private final MapState<BudgetReservation> reservations = new MapState<>();
  private final MapState<InDoubtCall> calls = new MapState<>();
  private final BudgetLedger ledger = new BudgetLedger(tallies, reservations, calls);
  private final BudgetLedger.Payer payer = new BudgetLedger.Payer("t1", "k1", ZoneOffset.UTC);
  private final List<BudgetLedger.Cap> dailyCap =
      List.of(new BudgetLedger.Cap("team:t1", BudgetPeriod.DAY, 1_000));
  private Instant now = Instant.parse("2026-11-22T10:00:00Z");

  private boolean reserve(String id, long amount) {
    return ledger.reserve(id, payer, dailyCap, amount, now, now.plusSeconds(60)).isEmpty();
  }

  private BudgetTally teamToday() {
    return ledger.tally("team:t1", BudgetPeriod.DAY, ZoneOffset.UTC, now);
  }

  @Test
  void reservationsCountAgainstTheCapUntilSettledToTheActualCost() {
    assertThat(reserve("r1", 400)).isTrue();
    assertThat(reserve("r2", 400)).isTrue();
    assertThat(reserve("r3", 400)).isFalse();

    ledger.settle("r1", payer, 150, now);

    assertThat(teamToday()).isEqualTo(new BudgetTally(150L, 400L, 0L));
    assertThat(reserve("r3", 400)).isTrue();
    assertThat(reserve("r4", 51)).isFalse();
    assertThat(reserve("r4", 50)).isTrue();
    assertThat(teamToday()).isEqualTo(new BudgetTally(150L, 850L, 0L));
  }

  @Test
  void aCallLeftUnresolvedWhenItsRequestEndsCountsAtItsWorstCaseUntilResolved() {
    assertThat(reserve("r1", 400)).isTrue();
    // The first call's outcome is lost in a crash; the call made again is billed.
    ledger.open("call-1", "r1", payer, 400, now);
    assertThat(teamToday())
        .as("covered by the reservation")
        .isEqualTo(new BudgetTally(0L, 400L, 0L));
    ledger.open("call-2", "r1", payer, 400, now);
    assertThat(teamToday()).as("one call only").isEqualTo(new BudgetTally(0L, 400L, 400L));
    ledger.resolve("call-2");
    assertThat(teamToday()).isEqualTo(new BudgetTally(0L, 400L, 0L));
    ledger.settle("r1", payer, 150, now);

    assertThat(teamToday()).isEqualTo(new BudgetTally(150L, 0L, 400L));
    assertThat(ledger.reserve("r2", payer, dailyCap, 451, now, now.plusSeconds(60)))
        .hasValueSatisfying(m -> assertThat(m).contains("in doubt", "$0.000400"));
    assertThat(reserve("r2", 450)).isTrue();

    ledger.resolve("call-1");
    ledger.resolve("call-1");
    assertThat(teamToday()).isEqualTo(new BudgetTally(150L, 450L, 0L));
    assertThat(calls.map).isEmpty();
  }

  @Test
  void aCallAnnouncedAfterItsRequestEndedIsInDoubtAtOnceAndCountedOnce() {
    ledger.open("call-1", "gone", payer, 300, now);
    ledger.open("call-1", "gone", payer, 300, now);
    assertThat(teamToday().getInDoubtMicros()).isEqualTo(300);

    assertThat(reserve("r1", 400)).isTrue();
    ledger.open("call-2", "r1", payer, 400, now);
    ledger.releaseExpired(now.plusSeconds(60));
    assertThat(teamToday()).isEqualTo(new BudgetTally(0L, 0L, 700L));
  }

  @Test
  void theRefusalNamesTheCapAndTheNumbers() {
    ledger.settle("r0", payer, 900, now);

    assertThat(ledger.reserve("r1", payer, dailyCap, 101, now, now.plusSeconds(60)))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("team:t1", "daily cap is $0.001000", "spent $0.000900")
                    .contains("up to $0.000101"));
  }

  @Test
  void aFailedRequestReleasesItsReservationAndAReplayReservesNothingMore() {
    assertThat(reserve("r1", 600)).isTrue();
    assertThat(reserve("r1", 600)).isTrue();
    assertThat(teamToday().getReservedMicros()).isEqualTo(600);

    ledger.release("r1");
    ledger.release("r1");

    assertThat(teamToday()).isEqualTo(new BudgetTally(0L, 0L, 0L));
    assertThat(reservations.map).isEmpty();
  }

  @Test
  void reservationsNobodySettledAreReleasedAfterTheyExpire() {
    assertThat(reserve("r1", 600)).isTrue();

    assertThat(ledger.releaseExpired(now.plusSeconds(59))).isZero();
    assertThat(ledger.releaseExpired(now.plusSeconds(60))).isEqualTo(1);
    assertThat(teamToday().getReservedMicros()).isZero();
  }

  @Test
  void daysRollOverInTheTeamsTimeZone() {
    BudgetLedger.Payer paris = new BudgetLedger.Payer("t1", "k1", ZoneId.of("Europe/Paris"));
    now = Instant.parse("2026-11-22T22:30:00Z"); // 23:30 in Paris
    ledger.settle("r1", paris, 1_000, now);
    assertThat(ledger.reserve("r2", paris, dailyCap, 1, now, now.plusSeconds(60))).isPresent();

    now = Instant.parse("2026-11-22T23:00:00Z"); // midnight in Paris, still the 22nd in UTC
    assertThat(ledger.reserve("r2", paris, dailyCap, 1, now, now.plusSeconds(60))).isEmpty();
    assertThat(ledger.tally("team:t1", BudgetPeriod.MONTH, paris.zone(), now).getSpentMicros())
        .isEqualTo(1_000);
  }

  @Test
  void dollarsAreExact() {
    assertThat(BudgetLedger.usd(50_000)).isEqualTo("$0.050000");
    assertThat(BudgetLedger.usd(1_234_567)).isEqualTo("$1.234567");
  }
}
