package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.tollgate.core.config.ConfigException;
import java.util.Locale;

/** How a route chooses between its deployments. */
public enum Strategy {
  /** The lowest estimated cost first. */
  CHEAPEST,
  /** The lowest recent p50 latency first. */
  FASTEST,
  /** The best weighted score of normalised cost and latency. */
  BALANCED,
  /** A static split by weight. */
  WEIGHTED,
  /** The route's own order. */
  ORDERED;

  @JsonCreator
  public static Strategy parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "routes[].strategy: must be one of cheapest, fastest, balanced, weighted, ordered; got '"
              + name
              + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
