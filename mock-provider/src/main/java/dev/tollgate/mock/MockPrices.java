package dev.tollgate.mock;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.platform.catalog.ModelCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the mock charges, per model, in USD per million tokens ({@code mock-prices.yaml}), and the
 * cost of a call at those rates: each bucket at its rate, summed exactly, rounded once half up to
 * whole micro-USD. Its own table and arithmetic, not the gateway's catalog and calculator.
 */
public final class MockPrices {

  /**
   * One model's rates, USD per million tokens; cached and cache-write default to input, a one-hour
   * write to the five-minute one.
   */
  record Rates(
      @JsonProperty(value = "input", required = true) BigDecimal input,
      @JsonProperty("cached_input") BigDecimal cachedInput,
      @JsonProperty("cache_write") BigDecimal cacheWrite,
      @JsonProperty("cache_write_1h") BigDecimal cacheWrite1h,
      @JsonProperty(value = "output", required = true) BigDecimal output) {

    Rates {
      cachedInput = cachedInput == null ? input : cachedInput;
      cacheWrite = cacheWrite == null ? input : cacheWrite;
      cacheWrite1h = cacheWrite1h == null ? cacheWrite : cacheWrite1h;
    }

    /** A call's cost in micro-USD (USD per million tokens times tokens is micro-USD). */
    long costMicros(BilledTokens t) {
      return input
          .multiply(BigDecimal.valueOf(t.input()))
          .add(cachedInput.multiply(BigDecimal.valueOf(t.cachedInput())))
          .add(cacheWrite.multiply(BigDecimal.valueOf(t.cacheWrite())))
          .add(cacheWrite1h.multiply(BigDecimal.valueOf(t.cacheWrite1h())))
          .add(output.multiply(BigDecimal.valueOf(t.output())))
          .setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
    }
  }

  private final Map<String, Rates> byModel;

  private MockPrices(Map<String, Rates> byModel) {
    this.byModel = byModel;
  }

  /** The mock's bundled price list. */
  public static MockPrices bundled() {
    try (InputStream in = MockPrices.class.getResourceAsStream("/mock-prices.yaml")) {
      return new MockPrices(
          new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read mock-prices.yaml", e);
    }
  }

  /**
   * This list, and for models it does not know (those of an operator's own catalog) the catalog's
   * price: bills for those prove nothing about the gateway's pricing.
   */
  public MockPrices orCatalog(ModelCatalog catalog) {
    Map<String, Rates> merged = new HashMap<>();
    BigDecimal perMillion = BigDecimal.valueOf(1_000_000);
    for (Deployment d : catalog.deployments()) {
      merged.putIfAbsent(
          d.model(),
          new Rates(
              BigDecimal.valueOf(d.price().input()).divide(perMillion),
              BigDecimal.valueOf(d.price().cachedInput()).divide(perMillion),
              BigDecimal.valueOf(d.price().cacheWrite()).divide(perMillion),
              BigDecimal.valueOf(d.price().cacheWrite1h()).divide(perMillion),
              BigDecimal.valueOf(d.price().output()).divide(perMillion)));
    }
    merged.putAll(byModel);
    return new MockPrices(merged);
  }

  Optional<Rates> of(String model) {
    return Optional.ofNullable(byModel.get(model));
  }
}
