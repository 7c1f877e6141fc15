package dev.tollgate.workers.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryClassifierTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      nullValues = "null",
      value = {
        "0, null, true", // timeout or connection error
        "429, rate_limit_exceeded, true",
        "429, null, true",
        "429, insufficient_quota, false",
        "429, billing_hard_limit_reached, false",
        "500, null, true",
        "502, null, true",
        "503, null, true",
        "504, null, true",
        "529, overloaded_error, true",
        "400, null, false",
        "401, invalid_api_key, false",
        "403, null, false",
        "404, model_not_found, false",
        "408, null, false",
        "413, null, false",
        "422, null, false",
        "502, unknown_finish_reason, false",
      })
  void decidesWhatIsWorthRetrying(int status, String code, boolean retryable) {
    assertThat(RetryClassifier.isRetryable(new ProviderResult.Failure(status, "t", code, "m")))
        .isEqualTo(retryable);
  }

  @Test
  void readsRetryAfterInEveryForm() {
    ZonedDateTime now = ZonedDateTime.of(2026, 11, 22, 10, 0, 0, 0, ZoneOffset.UTC);
    assertThat(RetryAfter.from(Map.of("retry-after-ms", "250")::get, now))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(RetryAfter.from(Map.of("retry-after", "2")::get, now))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryAfter.from(Map.of("retry-after", "Sun, 22 Nov 2026 10:00:05 GMT")::get, now))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryAfter.from(Map.of("retry-after", "soon")::get, now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.from(name -> null, now)).isEqualTo(Duration.ZERO);
  }
}
