package dev.tollgate.mock;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults in force, changed at run time through {@code /_mock/faults}. The last rule added that
 * matches a call decides its fate; draws come from a seeded random, so a run with the same seed and
 * the same call order injects the same faults.
 */
final class FaultPlan {

  /** What happens to one call. */
  record Fate(String fault, long latencyMs, long retryAfterMs, long timeoutMs) {
    boolean isFault() {
      return fault != null;
    }
  }

  private final List<FaultRule> rules = new ArrayList<>();
  private final List<long[]> remaining = new ArrayList<>();
  private Random random = new Random(42);

  synchronized void add(FaultRule rule, Long seed) {
    rules.add(rule);
    remaining.add(new long[] {rule.count()});
    if (seed != null) {
      random = new Random(seed);
    }
  }

  synchronized void clear() {
    rules.clear();
    remaining.clear();
  }

  synchronized JsonArray toJson() {
    JsonArray all = new JsonArray();
    rules.forEach(r -> all.add(r.toJson()));
    return all;
  }

  synchronized Fate decide(String provider, String model, long nowMs) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      FaultRule rule = rules.get(i);
      if (!rule.matches(provider, model)) {
        continue;
      }
      if (rule.count() > 0 && --remaining.get(i)[0] <= 0) {
        rules.remove(i);
        remaining.remove(i);
      }
      if (nowMs < rule.outageUntilMs()) {
        return new Fate("503", rule.latencyMs(), rule.retryAfterMs(), rule.timeoutMs());
      }
      double draw = random.nextDouble();
      double cumulative = 0;
      for (var rate : rule.rates().entrySet()) {
        cumulative += rate.getValue();
        if (draw < cumulative) {
          return new Fate(rate.getKey(), rule.latencyMs(), rule.retryAfterMs(), rule.timeoutMs());
        }
      }
      return new Fate(null, rule.latencyMs(), 0, rule.timeoutMs());
    }
    return new Fate(null, 0, 0, 0);
  }
}
