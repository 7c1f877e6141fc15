package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each chaos scenario at a small size on a real local stack (the same code as {@code tollgate bench
 * --scenario chaos-...}): the invariants must all hold.
 */
class ChaosScenariosTest {

  @ParameterizedTest
  @EnumSource(Fault.class)
  void theInvariantsHold(Fault fault) throws Exception {
    try (ChaosRun run = new ChaosRun(Map.of())) {
      ChaosRun.Report report = run.run(fault, 150, 100, Duration.ofSeconds(120));
      assertThat(report.checks())
          .as("%s", report)
          .hasSize(5)
          .allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
      assertThat(report.served()).as("some requests were served").isPositive();
      assertThat(report.errors()).as("the budget bound").containsKey("429 budget_exceeded");
    }
  }
}
