package dev.tollgate.launcher;

import dev.tollgate.core.kafka.Clients;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-submits dead-lettered requests to {@code llm-requests}. It reads the dead-letter topic from
 * the start to its current end (no consumer group, nothing committed), picks the letters that carry
 * a request and match the selection, and publishes each request again under a new id ({@code
 * <original>.replay-<dlq offset>}, so a reply is never mistaken for the original's) with a fresh
 * deadline of the original's length and {@code replay_of} in its metadata. Letters of undecodable
 * records carry no request and are reported, not replayed.
 */
final class DeadLetterReplay {

  /** What a replay did. */
  record Result(int examined, int replayed, int skippedUndecodable, List<String> newIds) {}

  private final KafkaSettings kafka;
  private final AvroSerdes serdes;
  private final Clock clock;

  DeadLetterReplay(KafkaSettings kafka, AvroSerdes serdes, Clock clock) {
    this.kafka = kafka;
    this.serdes = serdes;
    this.clock = clock;
  }

  /** Selects letters by request id; an empty set selects every letter that carries a request. */
  static Predicate<DeadLetter> byRequestId(Set<String> ids) {
    return letter -> ids.isEmpty() || ids.contains(letter.getRequest().getRequestId());
  }

  Result replay(Predicate<DeadLetter> selected, boolean dryRun) {
    AvroTopic<DeadLetter> letters = serdes.on(kafka.topics().deadLetters());
    String topic = letters.name();
    Properties props = kafka.clientProperties("tollgate-dlq-replay");
    int examined = 0;
    int skipped = 0;
    List<String> newIds = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = Clients.rawConsumer(props);
        KafkaProducer<String, SpecificRecord> producer =
            Clients.producer(props, serdes.anySerializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          examined++;
          DeadLetter letter = letters.decode(record.value());
          if (letter.getRequest() == null) {
            skipped++;
            continue;
          }
          if (!selected.test(letter)) {
            continue;
          }
          LlmRequest again = renewed(letter.getRequest(), record.offset());
          newIds.add(again.getRequestId());
          if (!dryRun) {
            ProducerRecord<String, SpecificRecord> out =
                new ProducerRecord<>(
                    kafka.topics().requests(again.getPriority()).name(), again.getTeamId(), again);
            out.headers()
                .add(
                    "tollgate-replay-of",
                    letter.getRequest().getRequestId().getBytes(StandardCharsets.UTF_8));
            producer.send(out);
          }
        }
      }
      producer.flush();
    }
    return new Result(examined, newIds.size(), skipped, newIds);
  }

  private LlmRequest renewed(LlmRequest original, long offset) {
    Instant now = clock.instant();
    Duration timeout = Duration.between(original.getCreatedAt(), original.getDeadlineAt());
    Map<String, String> metadata = new HashMap<>(original.getMetadata());
    metadata.put("replay_of", original.getRequestId());
    return LlmRequest.newBuilder(original)
        .setRequestId(original.getRequestId() + ".replay-" + offset)
        .setMetadata(metadata)
        .setCreatedAt(now)
        .setDeadlineAt(
            now.plus(timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(60) : timeout))
        .build();
  }
}
