package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.client.ChatRequest;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.platform.auth.GatewayKeys;
import dev.tollgate.platform.auth.KeyHash;
import dev.tollgate.platform.auth.RequestHeaders;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.config.Settings;
import dev.tollgate.platform.kafka.Acls;
import dev.tollgate.platform.kafka.BrokerSecurity;
import dev.tollgate.platform.kafka.EmbeddedKafka;
import dev.tollgate.platform.serde.AvroSerde;
import dev.tollgate.platform.serde.HttpSchemaRegistryClient;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.router.RouterService;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Topics;
import dev.tollgate.usage.UsageService;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway on a secured cluster: a broker whose only listener is SASL_SSL, with the {@code
 * StandardAuthorizer} and exactly the ACLs {@link Acls} documents, one principal per service and
 * per team, and a schema registry that wants basic auth. HTTP and a backend job are served; a team
 * cannot read another's replies or spend as another team; a service with a wrong password or
 * without its ACLs fails at start naming its settings; and no topic outside the config and the
 * request topics holds a secret or a key hash.
 */
class SecuredClusterTest {

  private static final String REGISTRY_AUTH = "tollgate:registry-password";
  private static final List<String> USERS =
      List.of(
          "admin", "router", "workers", "usage", "ingest", "registry", "team-demo", "team-beta");

  @TempDir Path dir;

  @Test
  void theGatewayRunsOnASecuredClusterWithAPrincipalPerServiceAndTeam() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectory(dir.resolve("tls")));
    Map<String, String> passwords = new HashMap<>();
    USERS.forEach(user -> passwords.put(user, "pw-" + user));
    BrokerSecurity security =
        new BrokerSecurity(
            certs.keystore(), certs.truststore(), certs.password(), passwords, "admin");
    try (EmbeddedKafka kafka = EmbeddedKafka.startSecured(dir.resolve("kafka"), security)) {
      Properties adminProps = properties(kafka, security, "admin");
      try (Admin admin = Admin.create(adminProps)) {
        admin.createAcls(documentedAcls()).all().get();
      }
      Settings base = servicesOn(kafka, security);
      try (LocalStack stack =
          LocalStack.start(base, dir.resolve("data"), LocalStack.Ports.ephemeral(), Map.of())) {
        String demoKey = stack.demoKey();
        Settings settings =
            base.with("kafka.schema-registry-url", stack.registryUrl())
                .with("gateway.signing-secret", "a-signing-secret-for-the-lone-services");

        assertThat(
                new BearerHttp()
                    .send(
                        "POST",
                        stack.apiUrl() + "/chat/completions",
                        demoKey,
                        "{\"model\":\"gpt-4o-mini\","
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                    .statusCode())
            .isEqualTo(200);

        try (TollgateClient job = teamJob(stack, kafka, security, demoKey)) {
          LlmReply reply = job.submit(ChatRequest.to("gpt-4o-mini").user("Hi from a job")).get();
          assertThat(reply.getError()).isNull();
          assertThat(reply.getTeamId()).isEqualTo("demo");
        }

        // Team beta may write requests, but not read demo's replies or the requests of others.
        Properties beta = properties(kafka, security, "team-beta");
        for (String topic : List.of("llm-replies-demo-jobs", "llm-requests", "usage-events")) {
          assertThatThrownBy(() -> pollOnce(beta, topic))
              .as(topic)
              .isInstanceOf(TopicAuthorizationException.class);
        }
        // ... nor spend as demo by claiming demo's key hash: unsigned, it is no key at all.
        int billed = stack.mock().ledger().entries().size();
        sendAs(beta, stack, "forged-by-beta", KeyHash.sha256(demoKey));
        DeadLetter refused = awaitDeadLetter(adminProps, stack, "forged-by-beta");
        assertThat(refused.getReason()).startsWith("401 invalid_api_key");
        assertThat(stack.mock().ledger().entries()).hasSize(billed);

        long bill = stack.mock().ledger().totalCostMicros();
        assertThat(awaitSpend(stack, demoKey, bill)).as("the ledger reconciles").isEqualTo(bill);
        assertThat(stack.isHealthy()).isTrue();
        assertNoCredentialOnAnyTopic(adminProps, demoKey);

        // A service with a wrong password, or whose principal lacks its ACLs, stops at start
        // and names the settings to look at.
        assertThatThrownBy(
                () ->
                    startAlone(
                        settings.with(
                            "usage.kafka.properties.sasl.jaas.config", jaas("usage", "wrong")),
                        ctx -> UsageService.start(ctx, GatewayKeys.from(settings))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("usage.kafka.properties.*")
            .hasMessageContaining("cannot authenticate")
            .hasMessageNotContaining("wrong");
        assertThatThrownBy(
                () ->
                    startAlone(
                        settings.with(
                            "router.kafka.properties.sasl.jaas.config",
                            jaas("team-beta", "pw-team-beta")),
                        ctx -> RouterService.start(ctx, GatewayKeys.from(settings))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("router.kafka.properties.*")
            .hasMessageContaining("tollgate acls");
      }
    }
  }

  /** Every binding {@link Acls} gives the services and the two teams. */
  private static List<AclBinding> documentedAcls() {
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
  private static Settings servicesOn(EmbeddedKafka kafka, BrokerSecurity security) {
    Settings settings =
        Settings.empty()
            .with("local.broker", "external")
            .with("kafka.bootstrap-servers", kafka.bootstrapServers())
            .with("kafka.schema-registry.basic-auth-user-info", REGISTRY_AUTH);
    for (Acls.Service service : Acls.Service.values()) {
      String name = service.settingsName();
      for (Map.Entry<String, String> p : security.clientProperties(name).entrySet()) {
        settings = settings.with(name + ".kafka.properties." + p.getKey(), p.getValue());
      }
    }
    return settings;
  }

  private static TollgateClient teamJob(
      LocalStack stack, EmbeddedKafka kafka, BrokerSecurity security, String key) {
    TollgateClient.Builder job =
        TollgateClient.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .schemaRegistryUrl(stack.registryUrl())
            .schemaRegistryBasicAuth(REGISTRY_AUTH)
            .apiKey(key)
            .teamId("demo")
            .replyTopic("llm-replies-demo-jobs");
    security.clientProperties("team-demo").forEach(job::kafkaProperty);
    return job.build();
  }

  private static Properties properties(EmbeddedKafka kafka, BrokerSecurity security, String user) {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.putAll(security.clientProperties(user));
    return props;
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private interface Service {
    AutoCloseable start(ServiceContext ctx);
  }

  private static void startAlone(Settings settings, Service service) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (AutoCloseable started = service.start(ServiceContext.create(settings, vertx))) {
      throw new AssertionError("started with bad credentials");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void pollOnce(Properties props, String topic) {
    Properties p = new Properties();
    p.putAll(props);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200));
      }
    }
  }

  private static void sendAs(Properties props, LocalStack stack, String id, String keyHash)
      throws Exception {
    Instant now = Instant.now();
    LlmRequest request =
        LlmRequest.newBuilder()
            .setRequestId(id)
            .setTeamId("demo")
            .setKeyId("")
            .setModel("gpt-4o-mini")
            .setMessages(
                List.of(new ChatMessage("user", "Spend demo's money", null, null, List.of())))
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

  /** The demo team's spend in the usage API once it reaches {@code expected} (or after 30 s). */
  private static long awaitSpend(LocalStack stack, String key, long expected) throws Exception {
    BearerHttp http = new BearerHttp();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long spent = -1;
    while (spent != expected && System.nanoTime() < deadline) {
      var response = http.send("GET", stack.usageUrl() + "/teams/demo", key, null);
      if (response.statusCode() == 200) {
        spent = new io.vertx.core.json.JsonObject(response.body()).getLong("cost_micros");
      }
    }
    return spent;
  }

  private static HttpSchemaRegistryClient registry(LocalStack stack) {
    return new HttpSchemaRegistryClient(
        stack.registryUrl(),
        dev.tollgate.platform.kafka.KafkaSettings.from(
                Settings.empty()
                    .with("kafka.bootstrap-servers", "unused:9092")
                    .with("kafka.schema-registry.basic-auth-user-info", REGISTRY_AUTH))
            .registry());
  }

  private static DeadLetter awaitDeadLetter(Properties admin, LocalStack stack, String id) {
    AvroSerde<DeadLetter> serde = new AvroSerde<>(registry(stack), DeadLetter.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : readAll(admin, "llm-requests-dlq")) {
        DeadLetter letter = serde.deserialize("llm-requests-dlq", record.value());
        if (letter.getRequest() != null && letter.getRequest().getRequestId().equals(id)) {
          return letter;
        }
      }
    }
    throw new AssertionError("no dead letter for " + id);
  }

  /**
   * Reads every topic but the config (which holds key hashes by design) and the request topics
   * (where a job's key, or ingest's signed hash, comes in, readable by the router alone) and finds
   * neither the key nor its hash in any header or value.
   */
  private static void assertNoCredentialOnAnyTopic(Properties admin, String key) throws Exception {
    byte[] secret = key.getBytes(StandardCharsets.UTF_8);
    byte[] hash = KeyHash.sha256(key).getBytes(StandardCharsets.UTF_8);
    Set<String> exempt = Set.of("gateway-config", "llm-requests", "llm-requests-bulk");
    Set<String> topics;
    try (Admin client = Admin.create(admin)) {
      topics = client.listTopics().names().get();
    }
    int scanned = 0;
    for (String topic : topics) {
      if (exempt.contains(topic)) {
        continue;
      }
      for (ConsumerRecord<String, byte[]> record : readAll(admin, topic)) {
        scanned++;
        List<byte[]> parts = new ArrayList<>();
        parts.add(record.value());
        for (Header header : record.headers()) {
          parts.add(header.value());
        }
        for (byte[] part : parts) {
          assertThat(contains(part, secret) || contains(part, hash))
              .as("a credential on " + topic + " at offset " + record.offset())
              .isFalse();
        }
      }
    }
    assertThat(scanned).as("records scanned").isGreaterThan(10);
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(Properties admin, String topic) {
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

  private static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
