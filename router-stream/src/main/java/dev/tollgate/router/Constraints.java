package dev.tollgate.router;

import dev.tollgate.platform.catalog.Deployment;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a request narrows its route to, from its metadata: {@code tollgate.providers} and {@code
 * tollgate.regions} (comma-separated allow lists), {@code tollgate.max_price_per_mtok} (USD per
 * million tokens that neither the input nor the output price may exceed) and {@code
 * tollgate.latency_target_ms} (deployments whose recent p95 is above it are left out).
 */
record Constraints(
    Set<String> providers, Set<String> regions, Long maxPriceMicros, Long latencyTargetMs) {

  static final String PROVIDERS = "tollgate.providers";
  static final String REGIONS = "tollgate.regions";
  static final String MAX_PRICE = "tollgate.max_price_per_mtok";
  static final String LATENCY_TARGET = "tollgate.latency_target_ms";

  /** The constraints in {@code metadata}; throws IllegalArgumentException naming a bad key. */
  static Constraints from(Map<String, String> metadata) {
    return new Constraints(
        set(metadata.get(PROVIDERS)),
        set(metadata.get(REGIONS)),
        price(metadata.get(MAX_PRICE)),
        millis(metadata.get(LATENCY_TARGET)));
  }

  /** Which constraint {@code d} breaks, or null when it meets them all (health aside). */
  String broken(Deployment d) {
    if (!providers.isEmpty() && !providers.contains(d.provider())) {
      return PROVIDERS;
    }
    if (!regions.isEmpty() && (d.region() == null || !regions.contains(d.region()))) {
      return REGIONS;
    }
    if (maxPriceMicros != null
        && (d.price().input() > maxPriceMicros || d.price().output() > maxPriceMicros)) {
      return MAX_PRICE;
    }
    return null;
  }

  private static Set<String> set(String csv) {
    if (csv == null || csv.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(csv.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  private static Long price(String usd) {
    if (usd == null) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(usd.trim());
      if (value.signum() < 0) {
        throw new NumberFormatException();
      }
      return value.movePointRight(6).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          MAX_PRICE + " must be a non-negative amount of USD like 0.60");
    }
  }

  private static Long millis(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          LATENCY_TARGET + " must be a whole number of milliseconds");
    }
  }
}
