package dev.tollgate.workers.call;

import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.workers.adapter.ProviderResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker's meters, named after the OpenTelemetry GenAI conventions where they fit: {@code
 * gen_ai_client_operation_duration} and {@code gen_ai_client_token_usage} per deployment, plus
 * calls by outcome and the calls in flight.
 */
public final class WorkerMetrics {

  private final MeterRegistry registry;
  private final String provider;
  private final AtomicInteger inFlight = new AtomicInteger();

  public WorkerMetrics(MeterRegistry registry, String provider) {
    this.registry = registry;
    this.provider = provider;
    registry.gauge(
        "tollgate_worker_in_flight",
        io.micrometer.core.instrument.Tags.of("provider", provider),
        inFlight);
  }

  void started() {
    inFlight.incrementAndGet();
  }

  /** A deployment gave up on a request: it moves to the next deployment, or fails for good. */
  public void failedOver(DeploymentRef deployment, boolean toNextDeployment) {
    Counter.builder(toNextDeployment ? "tollgate_worker_fallbacks" : "tollgate_worker_dead_letters")
        .tag("provider", provider)
        .tag("deployment", deployment.getDeploymentId())
        .register(registry)
        .increment();
  }

  /** A call that will be made again on the same deployment. */
  void retried(DeploymentRef deployment) {
    Counter.builder("tollgate_worker_retries")
        .tag("provider", provider)
        .tag("deployment", deployment.getDeploymentId())
        .register(registry)
        .increment();
  }

  public void poison() {
    Counter.builder("tollgate_worker_poison_records")
        .tag("provider", provider)
        .register(registry)
        .increment();
  }

  void finished(DeploymentRef deployment, ProviderResult result, long latencyMs) {
    inFlight.decrementAndGet();
    String outcome;
    if (result instanceof ProviderResult.Success success) {
      outcome = "success";
      var usage = success.usage();
      tokens(
          deployment,
          "input",
          usage.getInputTokens()
              + usage.getCachedInputTokens()
              + usage.getCacheWriteTokens()
              + usage.getCacheWrite1hTokens());
      tokens(deployment, "output", usage.getOutputTokens());
    } else {
      ProviderResult.Failure failure = (ProviderResult.Failure) result;
      outcome = failure.status() == 0 ? "timeout_or_connection" : "http_" + failure.status();
    }
    Timer.builder("gen_ai_client_operation_duration")
        .tag("gen_ai_system", deployment.getProvider())
        .tag("gen_ai_request_model", deployment.getProviderModel())
        .tag("deployment", deployment.getDeploymentId())
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(latencyMs));
  }

  private void tokens(DeploymentRef deployment, String type, long count) {
    Counter.builder("gen_ai_client_token_usage")
        .tag("gen_ai_system", deployment.getProvider())
        .tag("gen_ai_request_model", deployment.getProviderModel())
        .tag("gen_ai_token_type", type)
        .register(registry)
        .increment(count);
  }
}
