package dev.tollgate.bench;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.launcher.LocalStack;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole local stack for one benchmark, on a data directory of its own (deleted on close), with
 * a reply topic for requests sent the backend-job way and a producer of them.
 */
final class BenchStack implements AutoCloseable {

  private final Path dataDir;
  private final LocalStack stack;
  private final String replyTopic;
  private final AvroSerdes serdes;
  private final KafkaProducer<String, LlmRequest> producer;

  /**
   * @param defaults the scenario's settings, beneath the command line's {@code overrides}
   */
  BenchStack(Settings defaults, Map<String, String> overrides, String replyTopic) {
    try {
      dataDir = Files.createTempDirectory("tollgate-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Settings settings = defaults;
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      settings = settings.with(o.getKey(), o.getValue());
    }
    stack = LocalStack.start(settings, dataDir, LocalStack.Ports.ephemeral(), Map.of());
    this.replyTopic = replyTopic;
    try (Admin admin = Admin.create(clientProperties())) {
      admin.createTopics(List.of(new NewTopic(replyTopic, 3, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create " + replyTopic, e);
    }
    serdes = new AvroSerdes(new HttpSchemaRegistryClient(stack.registryUrl()));
    producer =
        new KafkaProducer<>(
            clientProperties(), new StringSerializer(), serdes.of(LlmRequest.class).serializer());
  }

  LocalStack stack() {
    return stack;
  }

  AvroSerdes serdes() {
    return serdes;
  }

  String replyTopic() {
    return replyTopic;
  }

  Properties clientProperties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    props.put("linger.ms", "1");
    return props;
  }

  /**
   * Sends one chat request as a backend job does: to {@code llm-requests} under the demo team, with
   * the demo key in its header, answered on the reply topic; at most 16 output tokens.
   */
  void sendJobRequest(String id, String model, String prompt) {
    Instant now = Instant.now();
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(id)
            .setTeamId(LocalStack.DEMO_TEAM)
            .setKeyId("")
            .setModel(model)
            .setMessages(
                List.of(ChatMessage.newBuilder().setRole("user").setContent(prompt).build()))
            .setParams(GenerationParams.newBuilder().setMaxTokens(16).build())
            .setReplyTo(replyTopic)
            .setCreatedAt(now)
            .setDeadlineAt(now.plusSeconds(60))
            .build();
    ProducerRecord<String, LlmRequest> record =
        new ProducerRecord<>(Topics.standard().requests().name(), LocalStack.DEMO_TEAM, request);
    record.headers().add(RequestHeaders.API_KEY, stack.demoKey().getBytes(StandardCharsets.UTF_8));
    producer.send(record);
  }

  @Override
  public void close() throws Exception {
    producer.close();
    stack.close();
    BenchCluster.deleteTree(dataDir);
  }
}
