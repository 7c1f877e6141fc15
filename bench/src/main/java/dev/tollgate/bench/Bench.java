package dev.tollgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate bench}: runs a scenario several times after a warm-up, prints a table and writes
 * the runs and their medians as JSON. Every load is bounded by a request count and a time limit,
 * and everything binds to 127.0.0.1.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Tollgate on this machine.")
public final class Bench implements Callable<Integer> {

  @Option(
      names = "--scenario",
      defaultValue = "workers",
      description =
          "workers, router, usage, direct, http, kafka, batch, or chaos-faults, chaos-outage,"
              + " chaos-worker, chaos-router, chaos-broker (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--requests",
      defaultValue = "20000",
      description = "Requests per run (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--warmup",
      defaultValue = "20000",
      description = "Requests before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Measured runs; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Requests per second, open loop (0: as fast as possible, closed loop).")
  int rate;

  @Option(
      names = "--mock-latency-ms",
      defaultValue = "0",
      description = "Mock provider latency (default: ${DEFAULT-VALUE}).")
  long mockLatencyMs;

  @Option(
      names = "--max-in-flight",
      defaultValue = "256",
      description =
          "Calls in flight per worker (workers), or requests outstanding at most (direct, http,"
              + " kafka, batch) (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--time-limit-s",
      defaultValue = "300",
      description = "Longest a run may take (default: ${DEFAULT-VALUE}).")
  long timeLimitSeconds;

  @Option(names = "--set", description = "A Tollgate setting for this run, key=value (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--out",
      defaultValue = "bench-results",
      description = "Where JSON results go (default: ${DEFAULT-VALUE}).")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (scenario.startsWith("chaos-")) {
      return chaos();
    }
    List<String> scenarios =
        List.of("workers", "router", "usage", "direct", "http", "kafka", "batch");
    if (!scenarios.contains(scenario)) {
      System.err.println("unknown scenario '" + scenario + "'; available: " + scenarios);
      return 2;
    }
    Duration limit = Duration.ofSeconds(timeLimitSeconds);
    List<RunResult> results = new ArrayList<>();
    try (Scenario load =
        switch (scenario) {
          case "router" -> new RouterScenario(overrides);
          case "usage" -> new UsageScenario(overrides);
          case "batch" ->
              new BatchScenario(Duration.ofMillis(mockLatencyMs), maxInFlight, overrides);
          case "direct", "http", "kafka" ->
              new GatewayScenario(
                  GatewayScenario.Route.valueOf(scenario.toUpperCase(Locale.ROOT)),
                  Duration.ofMillis(mockLatencyMs),
                  maxInFlight,
                  overrides);
          default -> new WorkersScenario(Duration.ofMillis(mockLatencyMs), maxInFlight, overrides);
        }) {
      System.out.printf("warm-up: %d requests%n", warmup);
      load.run(warmup, rate, limit);
      load.warmedUp();
      for (int i = 1; i <= runs; i++) {
        RunResult r = load.run(requests, rate, limit);
        results.add(r);
        System.out.printf(
            "run %d: %,.0f req/s  p50 %.1f ms  p99 %.1f ms  errors %d  cpu %.2f cores  gc %.1f%%  heap %d MiB%n",
            i,
            r.requestsPerSecond(),
            r.p50Ms(),
            r.p99Ms(),
            r.errors(),
            r.coresBusy(),
            r.gcPausePercent(),
            r.peakHeapMib());
        if (!r.notes().isEmpty()) {
          System.out.printf("       %s%n", r.notes());
        }
      }
    }
    // Closed loop: the middle run by throughput; open loop (a set rate): by median latency.
    Comparator<RunResult> order =
        rate > 0
            ? Comparator.comparingDouble(RunResult::p50Ms)
            : Comparator.comparingDouble(RunResult::requestsPerSecond);
    RunResult median = results.stream().sorted(order).toList().get(results.size() / 2);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("scenario", scenario);
    report.put("at", Instant.now().toString());
    report.put(
        "machine",
        Map.of(
            "cores",
            Runtime.getRuntime().availableProcessors(),
            "java",
            System.getProperty("java.version")));
    report.put(
        "settings",
        Map.of(
            "requests", requests,
            "warmup", warmup,
            "mock_latency_ms", mockLatencyMs,
            "max_in_flight", maxInFlight,
            "rate", rate,
            "overrides", overrides));
    report.put("median", median);
    report.put("runs", results);
    Files.createDirectories(out);
    Path file =
        out.resolve(
            scenario + "-" + mockLatencyMs + "ms-" + Instant.now().toEpochMilli() + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    String load = rate > 0 ? rate + "/s open loop" : "as fast as possible";
    System.out.printf(
        "%n| scenario | load | mock latency | in flight | req/s (median of %d) | p50 ms | p99 ms |%n"
            + "|---|---|---|---|---|---|---|%n| %s | %s | %d ms | %d | %,.0f | %.1f | %.1f |%n%nwritten to %s%n",
        runs,
        scenario,
        load,
        mockLatencyMs,
        maxInFlight,
        median.requestsPerSecond(),
        median.p50Ms(),
        median.p99Ms(),
        file);
    return 0;
  }

  /**
   * A chaos scenario: {@code --runs} runs, each on a fresh stack; a pass/fail table of the
   * invariants per run; exit status 1 if any failed.
   */
  private int chaos() throws Exception {
    Fault fault;
    try {
      fault = Fault.of(scenario);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "unknown scenario '"
              + scenario
              + "'; chaos scenarios: "
              + Arrays.stream(Fault.values()).map(Fault::scenario).toList());
      return 2;
    }
    List<ChaosRun.Report> reports = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      try (ChaosRun run = new ChaosRun(overrides)) {
        ChaosRun.Report report =
            run.run(fault, requests, rate > 0 ? rate : 200, Duration.ofSeconds(timeLimitSeconds));
        reports.add(report);
        System.out.printf(
            "%nrun %d: %s, %d requests in %.1f s: %d served, errors %s%n"
                + "| invariant | holds | detail |%n|---|---|---|%n",
            i,
            report.scenario(),
            report.requests(),
            report.seconds(),
            report.served(),
            report.errors());
        for (ChaosRun.Check check : report.checks()) {
          System.out.printf(
              "| %s | %s | %s |%n",
              check.invariant(), check.holds() ? "pass" : "FAIL", check.detail());
        }
      }
    }
    Files.createDirectories(out);
    Path file = out.resolve(scenario + "-" + Instant.now().toEpochMilli() + ".json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), Map.of("scenario", scenario, "runs", reports));
    System.out.printf("%nwritten to %s%n", file);
    return reports.stream().allMatch(ChaosRun.Report::passed) ? 0 : 1;
  }
}
