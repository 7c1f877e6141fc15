package dev.tollgate.usage;

import dev.tollgate.platform.governance.Periods;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.ProviderHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each provider call observed on {@code provider-health} (key: deployment id) into its
 * deployment's row for the UTC hour: calls, errors (any outcome but success) and latency buckets,
 * with p50 and p95 read from them. Every {@code publishInterval} (wall-clock time) it forwards the
 * latest version of each row changed since, keyed by deployment ({@link Unpublished}).
 */
final class DeploymentHours implements Processor<String, ProviderHealth, String, DeploymentStats> {

  private static final String TABLE = "deployment-hour";

  private final Duration publishInterval;
  private ProcessorContext<String, DeploymentStats> context;
  private KeyValueStore<String, DeploymentStats> store;
  private Unpublished unpublished;

  DeploymentHours(Duration publishInterval) {
    this.publishInterval = publishInterval;
  }

  static String rowKey(String deployment, String hour) {
    return deployment + "|" + hour;
  }

  @Override
  public void init(ProcessorContext<String, DeploymentStats> context) {
    this.context = context;
    this.store = context.getStateStore(UsageStores.DEPLOYMENT_HOURS);
    this.unpublished =
        new Unpublished(context.getStateStore(UsageStores.UNPUBLISHED_DEPLOYMENT_HOURS));
    context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, now -> publish());
  }

  @Override
  public void process(Record<String, ProviderHealth> record) {
    ProviderHealth call = record.value();
    String hour = Periods.hourUtc(call.getObservedAt());
    String key = rowKey(call.getDeploymentId(), hour);
    DeploymentStats row = store.get(key);
    if (row == null) {
      row =
          DeploymentStats.newBuilder()
              .setDeploymentId(call.getDeploymentId())
              .setProvider(call.getProvider())
              .setHour(hour)
              .setUpdatedAt(Instant.EPOCH)
              .build();
    }
    List<Long> buckets = LatencyBuckets.add(row.getLatencyBuckets(), call.getLatencyMs());
    DeploymentStats updated =
        DeploymentStats.newBuilder(row)
            .setCalls(row.getCalls() + 1)
            .setErrors(row.getErrors() + (call.getOutcome() == AttemptOutcome.SUCCESS ? 0 : 1))
            .setLatencyBuckets(buckets)
            .setP50Ms(LatencyBuckets.percentile(buckets, 0.50))
            .setP95Ms(LatencyBuckets.percentile(buckets, 0.95))
            .setUpdatedAt(
                call.getObservedAt().isAfter(row.getUpdatedAt())
                    ? call.getObservedAt()
                    : row.getUpdatedAt())
            .build();
    store.put(key, updated);
    unpublished.mark(TABLE, key, record.timestamp());
  }

  private void publish() {
    for (Unpublished.Mark mark : unpublished.take()) {
      DeploymentStats row = store.get(mark.key());
      context.forward(new Record<>(row.getDeploymentId(), row, mark.changedAt()));
    }
  }
}
