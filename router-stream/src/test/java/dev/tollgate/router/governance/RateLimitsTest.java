package dev.tollgate.router.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.RateBucket;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private final MapState<RateBucket> buckets = new MapState<>();
  private final RateLimits limits = new RateLimits(buckets);
  private long now = 1_000_000;

  private static List<RateLimits.Scope> scopes(Long keyRpm, Long teamRpm, Long teamTpm) {
    return List.of(
        new RateLimits.Scope("key:k1", new Limits(keyRpm, null)),
        new RateLimits.Scope("team:t1", new Limits(teamRpm, teamTpm)));
  }

  @Test
  void admitsUpToTheLimitThenSaysWhenToRetry() {
    List<RateLimits.Scope> s = scopes(2L, null, null);

    assertThat(limits.admit(s, 10, now).admitted()).isTrue();
    assertThat(limits.admit(s, 10, now).admitted()).isTrue();
    RateLimits.Verdict third = limits.admit(s, 10, now);

    assertThat(third.admitted()).isFalse();
    assertThat(third.retryAfterMs()).isEqualTo(30_000);
    assertThat(third.message()).contains("key:k1", "requests per minute", "limit 2");
    assertThat(third.headers())
        .containsEntry("x-ratelimit-limit-requests", "2")
        .containsEntry("x-ratelimit-remaining-requests", "0")
        .containsEntry("x-ratelimit-reset-requests", "60.000s");

    now += 29_999;
    assertThat(limits.admit(s, 10, now).admitted()).isFalse();
    now += 1;
    assertThat(limits.admit(s, 10, now).admitted()).isTrue();
  }

  @Test
  void aRefusalDrawsFromNoBucket() {
    List<RateLimits.Scope> s = scopes(10L, 1L, null);

    assertThat(limits.admit(s, 10, now).admitted()).isTrue();
    RateLimits.Verdict refused = limits.admit(s, 10, now);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.message()).contains("team:t1");
    // The key's bucket was not charged for the refused request: 9 left, not 8.
    assertThat(buckets.get("key:k1|requests").getMilliTokens()).isEqualTo(9_000);
  }

  @Test
  void tokensPerMinuteCountTheEstimateAndRefuseWhatCanNeverFit() {
    List<RateLimits.Scope> s = scopes(null, null, 1000L);

    assertThat(limits.admit(s, 600, now).admitted()).isTrue();
    RateLimits.Verdict second = limits.admit(s, 600, now);
    assertThat(second.admitted()).isFalse();
    assertThat(second.retryAfterMs()).isEqualTo(12_000);
    assertThat(second.headers()).containsEntry("x-ratelimit-remaining-tokens", "400");

    RateLimits.Verdict tooLarge = limits.admit(s, 1001, now + 60_000);
    assertThat(tooLarge.admitted()).isFalse();
    assertThat(tooLarge.message()).contains("Request too large", "1001", "1000");
  }

  @Test
  void noLimitsMeansNoState() {
    assertThat(limits.admit(scopes(null, null, null), 10, now).admitted()).isTrue();
    assertThat(buckets.map).isEmpty();
  }
}
