package dev.tollgate.router;

import dev.tollgate.schemas.LlmRequest;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Wires {@link RoutingPolicy} into the topology with the Streams clock. */
final class RouteProcessor implements FixedKeyProcessor<String, LlmRequest, RouteDecision> {

  private final RoutingPolicy policy;
  private FixedKeyProcessorContext<String, RouteDecision> context;

  RouteProcessor(RoutingPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, RouteDecision> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, LlmRequest> record) {
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    context.forward(record.withValue(policy.decide(record.value(), now)));
  }
}
