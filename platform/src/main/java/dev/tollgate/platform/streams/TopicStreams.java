package dev.tollgate.platform.streams;

import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.Topic;
import dev.tollgate.schemas.Topics;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * How a topology reads and writes Tollgate's topics: each through its own serdes, read as bytes and
 * decoded inside the topology, so a record that does not decode becomes a dead letter (or is
 * skipped) and the stream goes on.
 */
public final class TopicStreams {

  private final StreamsBuilder builder;
  private final Topics topics;
  private final AvroSerdes serdes;
  private final String service;

  /**
   * @param service the service named in the dead letters of records that do not decode
   */
  public TopicStreams(StreamsBuilder builder, Topics topics, AvroSerdes serdes, String service) {
    this.builder = builder;
    this.topics = topics;
    this.serdes = serdes;
    this.service = service;
  }

  /** {@code topic}'s records as bytes, for a processor that decodes them as a step of its own. */
  public KStream<String, byte[]> raw(Topic<String, ?> topic, String name) {
    return builder.stream(
        topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name));
  }

  /** {@link #raw(Topic, String)}, with the record times {@code timestamps} gives. */
  public KStream<String, byte[]> raw(
      Topic<String, ?> topic, String name, TimestampExtractor timestamps) {
    return builder.stream(
        topic.name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray())
            .withTimestampExtractor(timestamps)
            .withName(name));
  }

  /** {@link #decoded(Topic, String)} with the topic's name as the name of its nodes. */
  public <V extends SpecificRecord> KStream<String, V> decoded(Topic<String, V> topic) {
    return decoded(topic, topic.name());
  }

  /** {@code topic}'s values; a record that does not decode goes to the dead-letter topic. */
  public <V extends SpecificRecord> KStream<String, V> decoded(
      Topic<String, V> topic, String name) {
    return deadLetterPoison(decode(topic, name), name);
  }

  /**
   * {@code topic}'s values; a record that does not decode is skipped, for topics whose poison
   * another service dead-letters.
   */
  public <V extends SpecificRecord> KStream<String, V> decodedSkippingPoison(
      Topic<String, V> topic, String name) {
    return decode(topic, name)
        .filter((key, value) -> value.isOk(), Named.as(name + "-skip-poison"))
        .mapValues(Decoded::value, Named.as(name + "-decoded"));
  }

  /** The values of {@code decoded}; its poison goes to the dead-letter topic. */
  public <T> KStream<String, T> deadLetterPoison(KStream<String, Decoded<T>> decoded, String name) {
    Map<String, KStream<String, Decoded<T>>> split =
        decoded
            .split(Named.as(name + "-"))
            .branch((key, value) -> !value.isOk(), Branched.as("poison"))
            .defaultBranch(Branched.as("ok"));
    deadLetters(
        split.get(name + "-poison").mapValues(Decoded::deadLetter, Named.as(name + "-to-letter")),
        name);
    return split.get(name + "-ok").mapValues(Decoded::value, Named.as(name + "-decoded"));
  }

  /** Writes {@code letters} to the dead-letter topic. */
  public void deadLetters(KStream<String, DeadLetter> letters, String name) {
    to(letters, topics.deadLetters(), name + "-dead-letters");
  }

  /** Writes {@code stream} to {@code topic}, which holds its values' type. */
  public <V extends SpecificRecord> void to(
      KStream<String, V> stream, Topic<String, V> topic, String name) {
    AvroTopic<V> typed = serdes.on(topic);
    stream.to(typed.name(), Produced.with(typed.keys(), typed.values()).withName(name));
  }

  /**
   * Writes each record of {@code stream} to its own topic ({@link Addressed}) with {@code values};
   * for sinks whose topic depends on the record.
   */
  public <V> void toAddressed(KStream<String, Addressed<V>> stream, Serde<V> values, String name) {
    stream.to(
        Addressed.extractor(),
        Produced.with(Serdes.String(), Addressed.serde(values)).withName(name));
  }

  private <V extends SpecificRecord> KStream<String, Decoded<V>> decode(
      Topic<String, V> topic, String name) {
    Deserializer<V> values = serdes.on(topic).values();
    return raw(topic, name)
        .processValues(() -> new DecodeProcessor<>(service, values), Named.as("decode-" + name));
  }
}
