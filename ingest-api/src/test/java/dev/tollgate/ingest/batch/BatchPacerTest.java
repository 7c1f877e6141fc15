package dev.tollgate.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchPacerTest {

  private static final String BATCH = "batch_1";

  private long now = 1_000_000;
  private int nextLine;

  @Test
  void fixedPacingAllowsTheMostInFlight() {
    BatchPacer pacer = new BatchPacer(config(false));

    assertThat(pacer.window(BATCH, now)).isEqualTo(64);
  }

  @Test
  void theWindowGrowsWhileRoundTripsStayNearTheirBestAndShrinksWhenTheySlowDown() {
    BatchPacer pacer = new BatchPacer(config(true));
    assertThat(pacer.window(BATCH, now)).isEqualTo(4);

    int window = 0;
    for (int tick = 0; tick < 40; tick++) {
      answer(pacer, 8, 300);
      window = pacer.window(BATCH, now);
    }
    assertThat(window).as("steady round trips grow the window to the most").isEqualTo(64);

    answer(pacer, 8, 451);
    assertThat(pacer.window(BATCH, now)).as("more than 50%% slower: a quarter less").isEqualTo(48);
    answer(pacer, 8, 449);
    assertThat(pacer.window(BATCH, now)).as("within 50%% of the best: grows again").isEqualTo(54);

    for (int tick = 0; tick < 40; tick++) {
      answer(pacer, 8, 2_000);
      window = pacer.window(BATCH, now);
    }
    assertThat(window).as("never below the least").isEqualTo(4);
  }

  @Test
  void tooFewAnswersChangeNothing() {
    BatchPacer pacer = new BatchPacer(config(true));
    pacer.window(BATCH, now);

    answer(pacer, 2, 300);

    assertThat(pacer.window(BATCH, now)).isEqualTo(4);
  }

  @Test
  void theBaseForgetsRoundTripsOlderThanAMinute() {
    BatchPacer pacer = new BatchPacer(config(true));
    pacer.window(BATCH, now);
    answer(pacer, 8, 100);
    pacer.window(BATCH, now);
    now += Duration.ofMinutes(2).toMillis();
    for (int tick = 0; tick < 40; tick++) {
      answer(pacer, 8, 300);
      pacer.window(BATCH, now);
    }

    assertThat(pacer.window(BATCH, now)).as("300 ms is the new best").isEqualTo(64);
  }

  @Test
  void aForgottenBatchStartsAgainFromTheLeast() {
    BatchPacer pacer = new BatchPacer(config(true));
    pacer.window(BATCH, now);
    for (int tick = 0; tick < 10; tick++) {
      answer(pacer, 8, 300);
      pacer.window(BATCH, now);
    }
    pacer.sent(BatchProcessor.lineKey(BATCH, 999), now);

    pacer.forget(BATCH);
    pacer.answered(BATCH, BatchProcessor.lineKey(BATCH, 999), now + 10);

    assertThat(pacer.window(BATCH, now)).isEqualTo(4);
  }

  /** {@code count} lines sent at once and answered {@code roundTripMs} later, one tick on. */
  private void answer(BatchPacer pacer, int count, long roundTripMs) {
    long sent = now;
    for (int i = 0; i < count; i++) {
      pacer.sent(BatchProcessor.lineKey(BATCH, nextLine + i), sent);
    }
    for (int i = 0; i < count; i++) {
      pacer.answered(BATCH, BatchProcessor.lineKey(BATCH, nextLine + i), sent + roundTripMs);
    }
    nextLine += count;
    now += 200;
  }

  private static BatchConfig config(boolean adaptive) {
    return new BatchConfig(
        1 << 20,
        100,
        1024,
        64,
        adaptive,
        4,
        50,
        Duration.ofMinutes(10),
        Duration.ofMillis(200),
        Path.of("unused"));
  }
}
