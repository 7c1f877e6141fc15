package dev.tollgate.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

  private final AtomicLong now = new AtomicLong();
  private final ThreadFailures failures = new ThreadFailures("app", now::get);

  private static Throwable lostTransaction() {
    return new StreamsException(
        "Error encountered trying to commit a transaction",
        new InvalidTxnStateException("invalid state"));
  }

  @Test
  void aBrokerErrorReplacesTheThreadAFewTimesPerWindow() {
    for (int i = 0; i < ThreadFailures.MAX_REPLACEMENTS; i++) {
      assertThat(failures.handle(lostTransaction()))
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(failures.handle(lostTransaction()))
        .as("a broker error that keeps coming back")
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

    now.addAndGet(ThreadFailures.WINDOW.plus(Duration.ofSeconds(1)).toNanos());
    assertThat(failures.handle(lostTransaction()))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void anyOtherErrorShutsTheClientDown() {
    assertThat(failures.handle(new StreamsException(new IllegalStateException("a bug"))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }
}
