package dev.tollgate.workers.adapter;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * How long a provider asked us to wait: {@code retry-after-ms} (OpenAI, milliseconds), else {@code
 * retry-after} (seconds, or an HTTP date). Unparseable or absent means no advice.
 */
public final class RetryAfter {

  private RetryAfter() {}

  public static Duration from(Function<String, String> headers, ZonedDateTime now) {
    String ms = headers.apply("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.trim())));
      } catch (NumberFormatException e) {
        // Fall through to retry-after.
      }
    }
    String after = headers.apply("retry-after");
    if (after == null) {
      return Duration.ZERO;
    }
    try {
      return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(after.trim()) * 1000)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO;
      }
    }
  }
}
