package dev.tollgate.workers.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slows calls to one deployment down before the provider starts answering 429, from the rate-limit
 * headers of its last answer: OpenAI's {@code x-ratelimit-{limit,remaining,reset}-
 * {requests,tokens}} and Anthropic's {@code anthropic-ratelimit-{requests,tokens}-{limit,
 * remaining,reset}}. With less than a tenth of a window left, the rest is spread evenly until the
 * window resets; with nothing left, calls wait for the reset.
 */
public final class RateLimitPacer {

  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private volatile Instant nextCallAt = Instant.EPOCH;

  /** How long the next call should wait. */
  public Duration delay(Instant now) {
    Duration wait = Duration.between(now, nextCallAt);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** Learns from an answer's headers (looked up by name, null when absent). */
  public void observe(Function<String, String> headers, Instant now) {
    Instant requests =
        next(
            now,
            first(headers, "x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit"),
            first(
                headers,
                "x-ratelimit-remaining-requests",
                "anthropic-ratelimit-requests-remaining"),
            reset(
                headers, now, "x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset"));
    Instant tokens =
        next(
            now,
            first(headers, "x-ratelimit-limit-tokens", "anthropic-ratelimit-tokens-limit"),
            first(headers, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining"),
            reset(headers, now, "x-ratelimit-reset-tokens", "anthropic-ratelimit-tokens-reset"));
    nextCallAt = requests.isAfter(tokens) ? requests : tokens;
  }

  /** When the next call may go, given one limit's state. */
  private static Instant next(Instant now, Long limit, Long remaining, Instant resetAt) {
    if (remaining == null || resetAt == null || !resetAt.isAfter(now)) {
      return now;
    }
    if (remaining <= 0) {
      return resetAt;
    }
    if (limit != null && remaining * 10 < limit) {
      return now.plus(Duration.between(now, resetAt).dividedBy(remaining + 1));
    }
    return now;
  }

  private static Long first(Function<String, String> headers, String... names) {
    for (String name : names) {
      String value = headers.apply(name);
      if (value != null) {
        try {
          return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** OpenAI gives a Go duration ({@code 6m0s}); Anthropic an RFC 3339 time. */
  private static Instant reset(
      Function<String, String> headers, Instant now, String openAi, String anthropic) {
    String relative = headers.apply(openAi);
    if (relative != null) {
      Matcher m = GO_DURATION.matcher(relative.trim());
      double millis = 0;
      boolean any = false;
      while (m.find()) {
        any = true;
        double amount = Double.parseDouble(m.group(1));
        millis +=
            switch (m.group(2)) {
              case "ms" -> amount;
              case "s" -> amount * 1_000;
              case "m" -> amount * 60_000;
              default -> amount * 3_600_000;
            };
      }
      return any ? now.plusMillis((long) millis) : null;
    }
    String absolute = headers.apply(anthropic);
    if (absolute != null) {
      try {
        return OffsetDateTime.parse(absolute.trim()).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }
}
