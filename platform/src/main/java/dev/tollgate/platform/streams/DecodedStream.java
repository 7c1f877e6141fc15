package dev.tollgate.platform.streams;

import dev.tollgate.schemas.DeadLetter;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** A topic read as bytes and decoded in the topology, its poison records dead-lettered. */
public final class DecodedStream {

  private DecodedStream() {}

  /**
   * The decoded values of {@code topic}; records that do not decode go to {@code deadLetterTopic}
   * with the reason, and the stream goes on.
   */
  public static <T> KStream<String, T> of(
      StreamsBuilder builder,
      String topic,
      Deserializer<T> deserializer,
      String service,
      String deadLetterTopic,
      Serde<DeadLetter> letters) {
    Map<String, KStream<String, Decoded<T>>> decoded =
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(topic))
            .processValues(
                () -> new DecodeProcessor<>(service, deserializer), Named.as("decode-" + topic))
            .split(Named.as(topic + "-"))
            .branch((key, value) -> !value.isOk(), Branched.as("poison"))
            .defaultBranch(Branched.as("ok"));
    decoded
        .get(topic + "-poison")
        .mapValues(Decoded::deadLetter, Named.as(topic + "-to-dead-letter"))
        .to(
            deadLetterTopic,
            Produced.with(Serdes.String(), letters).withName(topic + "-dead-letters"));
    return decoded.get(topic + "-ok").mapValues(Decoded::value, Named.as(topic + "-decoded"));
  }
}
