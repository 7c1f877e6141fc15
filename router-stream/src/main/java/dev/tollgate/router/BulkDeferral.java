package dev.tollgate.router;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.FailOnInvalidTimestamp;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The timestamp the router gives a bulk request: its produce time plus {@code deferral} (decision
 * 0023). A task takes its next record from the input whose head has the smallest timestamp, so an
 * interactive request waits behind no bulk request produced less than {@code deferral} before it; a
 * bulk request waits at most {@code deferral} behind interactive ones, and not at all while none is
 * waiting. The router decides by wall-clock time, so nothing else reads the shifted time; the
 * records it writes for the request carry it. A negative timestamp fails as Streams' default does.
 */
final class BulkDeferral implements TimestampExtractor {

  private final TimestampExtractor produced = new FailOnInvalidTimestamp();
  private final long deferralMillis;

  BulkDeferral(Duration deferral) {
    this.deferralMillis = deferral.toMillis();
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return produced.extract(record, partitionTime) + deferralMillis;
  }
}
