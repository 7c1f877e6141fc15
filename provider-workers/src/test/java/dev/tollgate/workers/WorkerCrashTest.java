package dev.tollgate.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import dev.tollgate.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed with calls in flight and transactions open, then restarted: every request has
 * exactly one committed reply, and the provider's bill matches the usage events call for call
 * (billed calls plus the calls whose outcome the crash lost, which stay in doubt).
 */
class WorkerCrashTest {

  private static final int BEFORE = 10;
  private static final int DURING = 30;

  @TempDir Path dir;

  @Test
  void aCrashLosesAndDuplicatesNothing() throws Exception {
    try (WorkerFixture fx = new WorkerFixture(dir, "replies-crash")) {
      fx.mock.setLatency(Duration.ofMillis(50));
      WorkerService first = fx.startWorkers();
      for (int i = 0; i < BEFORE; i++) {
        fx.publish("openai", fx.routed("before-" + i, "resilient", "replies-crash", "live"));
      }
      assertThat(fx.read("replies-crash", LlmReply.class, BEFORE)).hasSize(BEFORE);

      // Slow calls for the second wave, so they are surely in flight when the worker dies.
      fx.mock.setLatency(Duration.ofSeconds(2));
      for (int i = 0; i < DURING; i++) {
        fx.publish("openai", fx.routed("during-" + i, "resilient", "replies-crash", "live"));
      }
      // The first wave's intents and bills, and every intent of the second: all calls are out.
      awaitUsageEvents(fx, 2 * BEFORE + DURING);
      first.crash();
      fx.mock.setLatency(Duration.ofMillis(50));
      assertThat(fx.mock.ledger().entries())
          .as("calls were in flight at the crash")
          .hasSizeLessThan(BEFORE + DURING);

      try (WorkerService second = fx.startWorkers()) {
        List<LlmReply> replies = fx.read("replies-crash", LlmReply.class, BEFORE + DURING);
        // Nothing more may arrive: read a little longer and count again.
        replies =
            fx.read("replies-crash", LlmReply.class, BEFORE + DURING + 1, Duration.ofSeconds(3));
        Set<String> ids = replies.stream().map(LlmReply::getRequestId).collect(Collectors.toSet());
        assertThat(replies).hasSize(BEFORE + DURING);
        assertThat(ids).hasSize(BEFORE + DURING);
        assertThat(replies).allSatisfy(r -> assertThat(r.getError()).isNull());

        List<UsageEvent> usage =
            fx.read("usage-events", UsageEvent.class, Integer.MAX_VALUE, Duration.ofSeconds(3));
        Set<String> resolved = new HashSet<>();
        usage.stream()
            .filter(u -> u.getKind() != UsageKind.IN_DOUBT)
            .forEach(u -> resolved.add(u.getCallId()));
        long billed = usage.stream().filter(u -> u.getKind() == UsageKind.BILLED).count();
        long inDoubt =
            usage.stream()
                .filter(u -> u.getKind() == UsageKind.IN_DOUBT && !resolved.contains(u.getCallId()))
                .count();
        assertThat(billed).isEqualTo(BEFORE + DURING);
        assertThat(inDoubt).as("calls the crash cut off").isPositive();
        awaitLedger(fx, billed + inDoubt);
        long billedMicros =
            usage.stream()
                .filter(u -> u.getKind() == UsageKind.BILLED)
                .mapToLong(UsageEvent::getCostMicros)
                .sum();
        long perCall = billedMicros / billed;
        assertThat(fx.mock.ledger().totalCostMicros()).isEqualTo(billedMicros + inDoubt * perCall);
      }
    }
  }

  private static void awaitUsageEvents(WorkerFixture fx, int events) {
    assertThat(fx.read("usage-events", UsageEvent.class, events))
        .hasSizeGreaterThanOrEqualTo(events);
  }

  /** The mock bills calls abandoned by the crash when their latency is up: wait for them. */
  private static void awaitLedger(WorkerFixture fx, long calls) {
    Await.until(
        "the mock to bill " + calls + " calls",
        Duration.ofSeconds(10),
        () -> fx.mock.ledger().entries().size() >= calls);
    assertThat(fx.mock.ledger().entries()).hasSize((int) calls);
  }
}
