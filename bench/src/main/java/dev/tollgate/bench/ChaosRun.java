package dev.tollgate.bench;

import dev.tollgate.core.config.Settings;
import dev.tollgate.launcher.LocalStack;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chaos scenario on a local stack whose broker runs in a process of its own (so that it can be
 * killed like a real one): a team budget that binds, bounded open-loop load on the Kafka path (the
 * backend-job way: requests on {@code llm-requests}, replies on a topic of the job's own), a {@link
 * Fault} a third of the way in, then the invariants of DESIGN.md checked from the topics, the
 * aggregator and the mock provider's ledger ({@link Invariants}).
 */
final class ChaosRun implements AutoCloseable {

  /** What the run did and which invariants held. */
  record Report(
      String scenario,
      int requests,
      long served,
      Map<String, Long> errors,
      double seconds,
      List<Check> checks) {
    boolean passed() {
      return checks.stream().allMatch(Check::holds);
    }
  }

  /** One invariant, whether it held, and the numbers behind it. */
  record Check(String invariant, boolean holds, String detail) {}

  static final String REPLIES = "llm-replies-demo-chaos";
  private static final String MODEL = "cheap-chat";
  private static final int CALIBRATION = 10;

  private final BenchStack bench;
  private final LocalStack stack;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int sequence;

  ChaosRun(Map<String, String> overrides) {
    bench =
        new BenchStack(
            Settings.empty()
                .with("local.broker", "process")
                .with("mock.latency", "20ms")
                .with("workers.retry.initial-backoff", "20ms")
                .with("workers.retry.max-backoff", "200ms"),
            overrides,
            REPLIES);
    stack = bench.stack();
  }

  Report run(Fault fault, int requests, int ratePerSecond, Duration limit) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    List<String> ids = new ArrayList<>();
    // Calibrate the spend of one request, then cap the team at about 70% of the load's.
    for (int i = 0; i < CALIBRATION; i++) {
      ids.add(send());
    }
    Invariants invariants = new Invariants(stack, bench.serdes(), http);
    invariants.awaitReplies(ids, deadline);
    long perRequest = Math.max(1, invariants.aggregatorSpend(CALIBRATION, deadline) / CALIBRATION);
    long cap = perRequest * (CALIBRATION + requests * 7L / 10);
    setBudget(cap);
    fault.before(stack);
    Thread injector = null;
    Pacer pacer = new Pacer(ratePerSecond);
    for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
      pacer.awaitNext();
      if (i == requests / 3) {
        injector = new Thread(() -> fault.inject(stack), "chaos-" + fault);
        injector.start();
      }
      ids.add(send());
    }
    join(injector);
    stack.mock().clearFaults();
    invariants.awaitReplies(ids, deadline);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Check> checks = invariants.check(ids, cap, deadline);
    return new Report(
        fault.scenario(), ids.size(), invariants.served(), invariants.errors(), seconds, checks);
  }

  private String send() {
    String id = "chaos-" + sequence++;
    bench.sendJobRequest(id, MODEL, "Chaos question " + id);
    return id;
  }

  private void setBudget(long capMicros) {
    String body =
        new JsonObject()
            .put(
                "budgets",
                List.of(
                    new JsonObject()
                        .put("period", "total")
                        .put("hard_cap_usd", BigDecimal.valueOf(capMicros, 6).toPlainString())))
            .encode();
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(stack.apiUrl() + "/admin/teams/" + LocalStack.DEMO_TEAM))
                  .header("Authorization", "Bearer " + stack.adminToken())
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("setting the budget: " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void join(Thread thread) {
    if (thread == null) {
      return;
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    bench.close();
  }
}
