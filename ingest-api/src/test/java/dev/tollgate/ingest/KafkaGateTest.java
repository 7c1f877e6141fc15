package dev.tollgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaGateTest {

  private final KafkaGate gate = new KafkaGate(2, Clock.systemUTC());

  @Test
  void atMostTheBoundWaitsOnKafka() {
    assertThat(gate.enter()).isTrue();
    assertThat(gate.enter()).isTrue();
    assertThat(gate.enter()).as("a third while two are unsent").isFalse();
    gate.left(null);
    assertThat(gate.enter()).isTrue();
    assertThat(gate.unsent()).isEqualTo(2);
  }

  @Test
  void onceASendFailsRequestsAreRefusedUntilAProbeFindsKafkaBack() {
    assertThat(gate.enter()).isTrue();
    gate.left(new TimeoutException("Expiring 1 record(s)"));

    assertThat(gate.isFailing()).isTrue();
    assertThat(gate.enter()).isFalse();
    assertThat(gate.health().problems()).singleElement().asString().contains("Expiring 1 record");
    gate.probe(false);
    assertThat(gate.enter()).isFalse();
    gate.probe(true);
    assertThat(gate.enter()).isTrue();
    assertThat(gate.health().problems()).isEmpty();
  }
}
