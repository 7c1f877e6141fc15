package dev.tollgate.usage;

import dev.tollgate.platform.governance.Periods;
import dev.tollgate.schemas.AttemptOutcome;
import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.ProviderHealth;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each provider call observed on {@code provider-health} (key: deployment id) into its
 * deployment's row for the UTC hour: calls, errors (any outcome but success) and latency buckets,
 * with p50 and p95 read from them. Forwards the row under its key {@code deployment|hour}.
 */
final class DeploymentHours implements FixedKeyProcessor<String, ProviderHealth, DeploymentStats> {

  private FixedKeyProcessorContext<String, DeploymentStats> context;
  private KeyValueStore<String, DeploymentStats> store;

  static String rowKey(String deployment, String hour) {
    return deployment + "|" + hour;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, DeploymentStats> context) {
    this.context = context;
    this.store = context.getStateStore(UsageTopology.DEPLOYMENT_HOURS);
  }

  @Override
  public void process(FixedKeyRecord<String, ProviderHealth> record) {
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
    context.forward(record.withValue(updated));
  }
}
