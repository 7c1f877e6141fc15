package dev.tollgate.launcher;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Priority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A backend job in tests: produces chat requests to {@code llm-requests} (or {@code
 * llm-requests-bulk}) with its key in a header, and reads the replies from a topic of its own.
 */
final class KafkaJob implements AutoCloseable {

  private final KafkaProducer<String, LlmRequest> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerde<LlmReply> replies;
  private final String topic;
  private int sequence;

  KafkaJob(LocalStack stack, String topic) throws Exception {
    this.topic = topic;
    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    try (Admin kafka = Admin.create(props)) {
      kafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(stack.registryUrl());
    producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            new AvroSerde<>(registry, LlmRequest.class).serializer());
    Properties consumerProps = new Properties();
    consumerProps.putAll(props);
    consumerProps.put("isolation.level", "read_committed");
    consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(new TopicPartition(topic, 0)));
    consumer.seekToBeginning(consumer.assignment());
    replies = new AvroSerde<>(registry, LlmReply.class);
  }

  /**
   * Sends one interactive request for {@code team} with key {@code secret} and awaits its reply.
   */
  LlmReply call(String secret, String team) throws Exception {
    String id = send(secret, team, Priority.INTERACTIVE);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (r.key().equals(id)) {
          return replies.deserializer().deserialize(topic, r.value());
        }
      }
    }
    throw new AssertionError("no reply to " + id + " within 30 s");
  }

  /** Sends one request without waiting for its reply; its id. */
  String send(String secret, String team, Priority priority) throws Exception {
    Instant now = Instant.now();
    String id = "job-" + sequence++;
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(id)
            .setTeamId(team)
            .setKeyId("")
            .setModel("gpt-4o-mini")
            .setMessages(
                List.of(
                    ChatMessage.newBuilder().setRole("user").setContent("Hi from a job").build()))
            .setParams(GenerationParams.newBuilder().setMaxTokens(5).build())
            .setReplyTo(topic)
            .setPriority(priority)
            .setCreatedAt(now)
            .setDeadlineAt(now.plusSeconds(30))
            .build();
    String requests = priority == Priority.BULK ? "llm-requests-bulk" : "llm-requests";
    ProducerRecord<String, LlmRequest> record = new ProducerRecord<>(requests, team, request);
    if (secret != null) {
      record.headers().add(RequestHeaders.API_KEY, secret.getBytes(StandardCharsets.UTF_8));
    }
    producer.send(record).get();
    return id;
  }

  /** The next {@code count} replies on the job's topic by request id, waiting up to 30 s. */
  Map<String, LlmReply> awaitReplies(int count) {
    Map<String, LlmReply> received = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        received.put(r.key(), replies.deserializer().deserialize(topic, r.value()));
      }
    }
    if (received.size() < count) {
      throw new AssertionError(received.size() + " of " + count + " replies within 30 s");
    }
    return received;
  }

  @Override
  public void close() {
    producer.close();
    consumer.close();
  }
}
