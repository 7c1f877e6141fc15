package dev.tollgate.router;

import dev.tollgate.platform.catalog.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders a route's eligible candidates by its strategy; the first is the primary, the rest the
 * fallback chain. Ties keep the route's order. Deployments without enough recent calls are tried
 * first by the latency-aware strategies, so new and recovered deployments get traffic.
 */
final class Ranking {

  static final int MIN_SAMPLES = 5;

  private Ranking() {}

  static List<Candidate> rank(Route route, List<Candidate> eligible, String requestId) {
    List<Candidate> ranked = new ArrayList<>(eligible);
    Comparator<Candidate> byOrder = Comparator.comparingInt(Candidate::order);
    switch (route.strategy()) {
      case CHEAPEST ->
          ranked.sort(Comparator.comparingLong(Candidate::costMicros).thenComparing(byOrder));
      case FASTEST ->
          ranked.sort(
              Comparator.comparing((Candidate c) -> !c.unmeasured(MIN_SAMPLES))
                  .thenComparingLong(Candidate::p50Ms)
                  .thenComparing(byOrder));
      case BALANCED -> ranked.sort(balanced(route.costWeight(), eligible).thenComparing(byOrder));
      case WEIGHTED -> weighted(route, ranked, requestId);
      case ORDERED -> ranked.sort(byOrder);
      default -> throw new IllegalStateException("unknown strategy " + route.strategy());
    }
    return ranked;
  }

  /** Lower is better: the weighted sum of cost and latency, each over the candidates' maximum. */
  private static Comparator<Candidate> balanced(double costWeight, List<Candidate> all) {
    double maxCost = Math.max(1, all.stream().mapToLong(Candidate::costMicros).max().orElse(1));
    double maxLatency =
        Math.max(
            1,
            all.stream()
                .filter(c -> !c.unmeasured(MIN_SAMPLES))
                .mapToLong(Candidate::p50Ms)
                .max()
                .orElse(1));
    return Comparator.comparingDouble(
        c -> {
          double latency = c.unmeasured(MIN_SAMPLES) ? 0 : c.p50Ms() / maxLatency;
          return costWeight * (c.costMicros() / maxCost) + (1 - costWeight) * latency;
        });
  }

  /**
   * Picks the primary by weight, from the request id's hash, so a replayed request picks the same
   * one; the rest follow in route order.
   */
  private static void weighted(Route route, List<Candidate> ranked, String requestId) {
    ranked.sort(Comparator.comparingInt(Candidate::order));
    long total = ranked.stream().mapToLong(c -> route.weight(c.deployment().id())).sum();
    if (total <= 0) {
      return;
    }
    long ticket = Math.floorMod(requestId.hashCode() * 0x9E3779B97F4A7C15L, total);
    for (int i = 0; i < ranked.size(); i++) {
      ticket -= route.weight(ranked.get(i).deployment().id());
      if (ticket < 0) {
        ranked.add(0, ranked.remove(i));
        return;
      }
    }
  }
}
