package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.batches.Batch;
import com.openai.models.files.FileObject;
import dev.tollgate.client.ChatRequest;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.Acls;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Topics;
import dev.tollgate.testkit.Await;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The secured flow's pieces, shared by the test on the embedded secured broker and the one on
 * containers: the documented ACLs, each service as its own principal, a team's backend job, a
 * forged request, and reading topics back.
 */
final class SecuredFlow {

  static final String REGISTRY_AUTH = "tollgate:registry-password";

  private SecuredFlow() {}

  /** Every binding {@link Acls} gives the services and the two teams. */
  static List<AclBinding> documentedAcls() {
    Acls acls =
        new Acls(
            Topics.standard(),
            ModelCatalog.load(Settings.empty()).providers().stream()
                .map(ProviderSpec::name)
                .toList());
    List<AclBinding> all = new ArrayList<>();
    for (Acls.Service service : Acls.Service.values()) {
      all.addAll(acls.service(service, "User:" + service.settingsName()));
    }
    all.addAll(acls.team("User:team-demo", Topics.standard().teamReplyPrefix("demo")));
    all.addAll(acls.team("User:team-beta", Topics.standard().teamReplyPrefix("beta")));
    return all;
  }

  /** The stack's settings: the secured cluster, each service as its own principal. */
  static Settings servicesOn(
      String bootstrap, Function<String, Map<String, String>> clientProperties) {
    Settings settings =
        Settings.empty()
            .with("local.broker", "external")
            .with("kafka.bootstrap-servers", bootstrap)
            .with("kafka.schema-registry.basic-auth-user-info", REGISTRY_AUTH);
    for (Acls.Service service : Acls.Service.values()) {
      String name = service.settingsName();
      for (Map.Entry<String, String> p : clientProperties.apply(name).entrySet()) {
        settings = settings.with(name + ".kafka.properties." + p.getKey(), p.getValue());
      }
    }
    return settings;
  }

  static TollgateClient teamJob(
      LocalStack stack, String bootstrap, Map<String, String> clientProperties, String key) {
    TollgateClient.Builder job =
        TollgateClient.builder()
            .bootstrapServers(bootstrap)
            .schemaRegistryUrl(stack.registryUrl())
            .schemaRegistryBasicAuth(REGISTRY_AUTH)
            .apiKey(key)
            .teamId("demo")
            .replyTopic("llm-replies-demo-jobs");
    clientProperties.forEach(job::kafkaProperty);
    return job.build();
  }

  /**
   * Demo's key is served over HTTP, and demo's job (with {@code teamProperties}) over Kafka; the
   * job's reply is demo's.
   */
  static void servesHttpAndAJob(
      LocalStack stack, String bootstrap, Map<String, String> teamProperties) throws Exception {
    String key = stack.demoKey();
    assertThat(
            new BearerHttp()
                .client
                .send(
                    BearerHttp.chat(stack, key, "gpt-4o-mini", 0),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    try (TollgateClient job = teamJob(stack, bootstrap, teamProperties, key)) {
      LlmReply reply = job.submit(ChatRequest.to("gpt-4o-mini").user("Hi from a job")).get();
      assertThat(reply.getError()).isNull();
      assertThat(reply.getTeamId()).isEqualTo("demo");
    }
  }

  /**
   * A batch of demo's through the Batch API, run by the batch runner under its own principal: every
   * line answered.
   */
  static void runsABatch(LocalStack stack, Path dir) throws Exception {
    OpenAIClient client = BatchFiles.client(stack, stack.demoKey());
    FileObject file =
        BatchFiles.upload(
            client,
            dir,
            List.of(
                BatchFiles.line("one", "gpt-4o-mini", "First"),
                BatchFiles.line("two", "gpt-4o-mini", "Second")));
    Batch batch = BatchFiles.createBatch(client, file.id());
    Batch done =
        BatchFiles.await(client, batch.id(), b -> Batch.Status.COMPLETED.equals(b.status()));
    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(2);
    assertThat(BatchFiles.content(client, done.outputFileId().orElseThrow())).hasSize(2);
  }

  static Properties properties(String bootstrap, Map<String, String> clientProperties) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.putAll(clientProperties);
    return props;
  }

  static void sendAs(Properties props, LocalStack stack, String id, String keyHash)
      throws Exception {
    Instant now = Instant.now();
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(id)
            .setTeamId("demo")
            .setKeyId("")
            .setModel("gpt-4o-mini")
            .setMessages(
                List.of(
                    ChatMessage.newBuilder()
                        .setRole("user")
                        .setContent("Spend demo's money")
                        .build()))
            .setParams(GenerationParams.newBuilder().build())
            .setReplyTo("llm-replies-beta-loot")
            .setCreatedAt(now)
            .setDeadlineAt(now.plusSeconds(30))
            .build();
    AvroSerde<LlmRequest> serde = new AvroSerde<>(registry(stack), LlmRequest.class);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>("llm-requests", "demo", serde.serialize("llm-requests", request));
      record.headers().add(RequestHeaders.KEY_SHA256, keyHash.getBytes(StandardCharsets.US_ASCII));
      record.headers().add(RequestHeaders.VOUCH, new byte[32]);
      producer.send(record).get();
    }
  }

  /** The demo team's spend in the usage API once it reaches {@code expected}. */
  static long awaitSpend(LocalStack stack, String key, long expected) {
    return new BearerHttp()
        .awaitTeamTotal(
            stack, "demo", key, t -> t.getLong("cost_micros", -1L) == expected, expected + " µ$")
        .getLong("cost_micros");
  }

  private static HttpSchemaRegistryClient registry(LocalStack stack) {
    return new HttpSchemaRegistryClient(
        stack.registryUrl(),
        dev.tollgate.core.kafka.KafkaSettings.from(
                Settings.empty()
                    .with("kafka.bootstrap-servers", "unused:9092")
                    .with("kafka.schema-registry.basic-auth-user-info", REGISTRY_AUTH))
            .registry());
  }

  static DeadLetter awaitDeadLetter(Properties admin, LocalStack stack, String id) {
    AvroSerde<DeadLetter> serde = new AvroSerde<>(registry(stack), DeadLetter.class);
    return Await.value(
            "a dead letter for " + id,
            Duration.ofSeconds(30),
            () ->
                readAll(admin, "llm-requests-dlq").stream()
                    .map(record -> serde.deserialize(record.topic(), record.value()))
                    .filter(
                        letter ->
                            letter.getRequest() != null
                                && letter.getRequest().getRequestId().equals(id))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  static List<ConsumerRecord<String, byte[]>> readAll(Properties admin, String topic) {
    Properties p = new Properties();
    p.putAll(admin);
    p.put("isolation.level", "read_uncommitted");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
        }
      }
    }
    return records;
  }
}
