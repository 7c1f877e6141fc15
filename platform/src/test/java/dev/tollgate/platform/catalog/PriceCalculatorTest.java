package dev.tollgate.platform.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.schemas.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceCalculatorTest {

  // gpt-4o-mini: $0.15 input, $0.075 cached, $0.60 output per million tokens.
  private static final Price MINI = new Price(150_000, 75_000, 150_000, 150_000, 600_000);
  // claude-sonnet-4: $3 input, $0.30 cache read, $3.75 cache write, $15 output.
  private static final Price SONNET =
      new Price(3_000_000, 300_000, 3_750_000, 6_000_000, 15_000_000);

  @ParameterizedTest(name = "{0} in, {1} cached, {2} written, {3} out -> {5} micro-USD")
  @CsvSource({
    // input, cached, write, output, price, expected
    "1000000, 0, 0, 0, MINI, 150000",
    "0, 0, 0, 1000000, MINI, 600000",
    "9, 0, 0, 6, MINI, 5", // 1.35 + 3.6 = 4.95 -> 5
    "10, 0, 0, 0, MINI, 2", // 1.5 rounds half up
    "3, 0, 0, 0, MINI, 0", // 0.45 rounds down
    "100, 1000, 0, 50, MINI, 120", // 15 + 75 + 30
    "100, 2000, 500, 300, SONNET, 7275", // 300 + 600 + 1875 + 4500
  })
  void pricesEachTokenKindAtItsOwnPrice(
      long input, long cached, long write, long output, String price, String expected) {
    TokenUsage usage =
        TokenUsage.newBuilder()
            .setInputTokens(input)
            .setCachedInputTokens(cached)
            .setCacheWriteTokens(write)
            .setOutputTokens(output)
            .build();
    assertThat(PriceCalculator.costMicros(usage, "MINI".equals(price) ? MINI : SONNET))
        .isEqualTo(Long.parseLong(expected));
  }

  @Test
  void worstCaseRoundsUpAndUsesTheDearestInputPrice() {
    // 100 prompt tokens at the cache-write price (3.75) + 1000 output at 15: 375 + 15000 micro-USD;
    // with a one-hour breakpoint, at the one-hour write price (6.00).
    assertThat(PriceCalculator.worstCaseMicros(100, 1000, SONNET, false)).isEqualTo(15_375);
    assertThat(PriceCalculator.worstCaseMicros(100, 1000, SONNET, true)).isEqualTo(15_600);
    // 1 token at $0.15/M is 0.15 micro-USD: a reservation never rounds down to zero.
    assertThat(PriceCalculator.worstCaseMicros(1, 0, MINI, false)).isEqualTo(1);
  }

  @Test
  void cacheWritesCostTheirTimeToLivesPrice() {
    TokenUsage writes =
        TokenUsage.newBuilder().setCacheWriteTokens(1_000).setCacheWrite1hTokens(1_000).build();
    // 1,000 at $3.75/M + 1,000 at $6.00/M.
    assertThat(PriceCalculator.costMicros(writes, SONNET)).isEqualTo(3_750 + 6_000);
  }

  @Test
  void overflowFailsInsteadOfWrapping() {
    TokenUsage huge = TokenUsage.newBuilder().setOutputTokens(Long.MAX_VALUE / 2).build();
    assertThatThrownBy(() -> PriceCalculator.costMicros(huge, MINI))
        .isInstanceOf(ArithmeticException.class);
  }
}
