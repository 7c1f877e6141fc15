package dev.tollgate.platform.http;

import dev.tollgate.core.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Why a service is not ready, if it is not: what {@code /health} reports (503 with the reasons, or
 * 200), so an operator sees "schema registry unavailable since ..." rather than "DOWN".
 */
@FunctionalInterface
public interface Health {

  /** What is wrong now; empty when ready. */
  List<String> problems();

  /** Ready while {@code ok} says so, else {@code problem}. */
  static Health check(BooleanSupplier ok, String problem) {
    return () -> ok.getAsBoolean() ? List.of() : List.of(problem);
  }

  /** Not ready while {@code registry} has been failing to answer. */
  static Health registry(SchemaRegistryClient registry) {
    return () ->
        registry
            .unavailableSince()
            .map(since -> List.of("schema registry unavailable since " + since))
            .orElse(List.of());
  }

  /** Both this and {@code other}. */
  default Health and(Health other) {
    return () -> {
      List<String> all = new ArrayList<>(problems());
      all.addAll(other.problems());
      return all;
    };
  }
}
