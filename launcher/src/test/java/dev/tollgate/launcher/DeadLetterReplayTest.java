package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.embedded.registry.InMemorySchemaRegistryClient;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Topics;
import dev.tollgate.testkit.TopicReads;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeadLetterReplayTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static EmbeddedKafka kafka;
  private static KafkaSettings settings;
  private static final AvroSerdes SERDES = new AvroSerdes(new InMemorySchemaRegistryClient());

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.startTemporary();
    settings = KafkaSettings.of(kafka.bootstrapServers(), "", Topics.standard(), 2, (short) 1);
    TopicAdmin admin = new TopicAdmin(settings);
    admin.ensure(List.of(admin.topic("llm-requests"), admin.topic("llm-requests-dlq")));
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            settings.clientProperties("seed"), new StringSerializer(), SERDES.anySerializer())) {
      producer.send(new ProducerRecord<>("llm-requests-dlq", "r1", letter(request("r1")))).get();
      producer.send(new ProducerRecord<>("llm-requests-dlq", "r2", letter(request("r2")))).get();
      producer.send(new ProducerRecord<>("llm-requests-dlq", "junk", letter(null))).get();
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void replaysChosenRequestsUnderNewIdsWithFreshDeadlines() {
    DeadLetterReplay replay =
        new DeadLetterReplay(settings, SERDES, Clock.fixed(NOW, ZoneOffset.UTC));

    DeadLetterReplay.Result dry = replay.replay(DeadLetterReplay.byRequestId(Set.of()), true);
    assertThat(dry.replayed()).isEqualTo(2);
    assertThat(dry.skippedUndecodable()).isEqualTo(1);

    DeadLetterReplay.Result result =
        replay.replay(DeadLetterReplay.byRequestId(Set.of("r2")), false);

    assertThat(result.examined()).isEqualTo(3);
    assertThat(result.newIds()).singleElement().asString().startsWith("r2.replay-");
    List<LlmRequest> published = requests();
    assertThat(published)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRequestId()).isEqualTo(result.newIds().get(0));
              assertThat(r.getMetadata()).containsEntry("replay_of", "r2");
              assertThat(r.getCreatedAt()).isEqualTo(NOW);
              assertThat(r.getDeadlineAt()).isEqualTo(NOW.plusSeconds(30));
              assertThat(r.getTeamId()).isEqualTo("team");
            });
  }

  private static List<LlmRequest> requests() {
    return TopicReads.read(
            settings.clientProperties("check"), "llm-requests", 1, Duration.ofSeconds(10))
        .stream()
        .map(r -> SERDES.of(LlmRequest.class).deserialize("llm-requests", r.value()))
        .toList();
  }

  private static LlmRequest request(String id) {
    return LlmRequest.newBuilder()
        .setRequestId(id)
        .setTeamId("team")
        .setKeyId("key")
        .setModel("gpt-4o-mini")
        .setMessages(List.of(ChatMessage.newBuilder().setRole("user").setContent("Hi").build()))
        .setParams(GenerationParams.newBuilder().build())
        .setCreatedAt(NOW.minusSeconds(3600))
        .setDeadlineAt(NOW.minusSeconds(3570))
        .build();
  }

  private static DeadLetter letter(LlmRequest request) {
    return DeadLetter.newBuilder()
        .setReason(request == null ? "undecodable" : "no deployment could serve the request")
        .setFailedBy("test")
        .setSourceTopic("llm-requests-openai")
        .setSourcePartition(0)
        .setSourceOffset(7)
        .setPayload(request == null ? ByteBuffer.wrap(new byte[] {1}) : null)
        .setHeaders(Map.of())
        .setRequest(request)
        .setFailedAt(NOW)
        .build();
  }
}
