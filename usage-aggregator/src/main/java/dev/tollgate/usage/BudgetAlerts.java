package dev.tollgate.usage;

import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.BudgetAlert;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.TeamConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which soft thresholds of a team's budgets a change of spend crossed. Spend only grows, so each
 * threshold is crossed at most once per period: one alert, with an id that names the crossing.
 */
final class BudgetAlerts {

  private BudgetAlerts() {}

  /**
   * The alerts for spend in {@code period} ({@code periodId}) going from {@code before} to {@code
   * after} micro-USD.
   */
  static List<BudgetAlert> crossed(
      TeamConfig team, BudgetPeriod period, String periodId, long before, long after, Instant at) {
    List<BudgetAlert> alerts = new ArrayList<>();
    for (Budget budget : team.getBudgets()) {
      if (budget.getPeriod() != period || budget.getHardCapMicros() == null) {
        continue;
      }
      long cap = budget.getHardCapMicros();
      for (int pct : budget.getSoftThresholdsPct()) {
        // The threshold in micro-USD, rounded up: crossing it means reaching at least pct%.
        long threshold = Math.floorDiv(Math.multiplyExact(cap, pct) + 99, 100);
        if (before < threshold && after >= threshold) {
          String name = period.name().toLowerCase(Locale.ROOT);
          alerts.add(
              BudgetAlert.newBuilder()
                  .setAlertId(team.getTeamId() + "|" + name + "|" + periodId + "|" + pct)
                  .setTeamId(team.getTeamId())
                  .setPeriod(name)
                  .setPeriodId(periodId)
                  .setThresholdPct(pct)
                  .setHardCapMicros(cap)
                  .setSpentMicros(after)
                  .setCrossedAt(at)
                  .build());
        }
      }
    }
    return alerts;
  }
}
