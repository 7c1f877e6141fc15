package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.core.config.ConfigException;

/**
 * What a deployment charges, in integer micro-USD per million tokens of each kind. Cached input and
 * cache writes default to the input price when a provider does not price them apart; a one-hour
 * cache write ({@code cache_write_1h}, Anthropic's) defaults to the five-minute one. Reasoning
 * tokens are output tokens and cost the output price.
 */
public record Price(long input, long cachedInput, long cacheWrite, long cacheWrite1h, long output) {

  public Price {
    if (input < 0 || cachedInput < 0 || cacheWrite < 0 || cacheWrite1h < 0 || output < 0) {
      throw new ConfigException("price: micro-USD per million tokens must not be negative");
    }
  }

  @JsonCreator
  static Price fromConfig(
      @JsonProperty(value = "input", required = true) long input,
      @JsonProperty("cached_input") Long cachedInput,
      @JsonProperty("cache_write") Long cacheWrite,
      @JsonProperty("cache_write_1h") Long cacheWrite1h,
      @JsonProperty(value = "output", required = true) long output) {
    long fiveMinutes = cacheWrite == null ? input : cacheWrite;
    return new Price(
        input,
        cachedInput == null ? input : cachedInput,
        fiveMinutes,
        cacheWrite1h == null ? fiveMinutes : cacheWrite1h,
        output);
  }
}
