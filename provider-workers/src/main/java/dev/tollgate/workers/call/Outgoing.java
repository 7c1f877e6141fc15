package dev.tollgate.workers.call;

import dev.tollgate.core.kafka.Records;
import dev.tollgate.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A record the worker will produce once a call is done; made through {@link #to}, so its value
 * always has its topic's type.
 */
public final class Outgoing {

  private final ProducerRecord<String, SpecificRecord> record;

  private Outgoing(ProducerRecord<String, SpecificRecord> record) {
    this.record = record;
  }

  public static <V extends SpecificRecord> Outgoing to(
      Topic<String, V> topic, String key, V value) {
    return new Outgoing(Records.to(topic, key, value));
  }

  String topic() {
    return record.topic();
  }

  String key() {
    return record.key();
  }

  SpecificRecord value() {
    return record.value();
  }

  public ProducerRecord<String, SpecificRecord> record() {
    return record;
  }
}
