package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.batch.BatchTopology;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.Acls;
import dev.tollgate.embedded.BrokerSecurity;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.router.RouterService;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.usage.UsageService;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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

  private static final List<String> USERS =
      List.of(
          "admin",
          "router",
          "workers",
          "usage",
          "ingest",
          "batch",
          "registry",
          "team-demo",
          "team-beta");

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
      Properties adminProps =
          SecuredFlow.properties(kafka.bootstrapServers(), security.clientProperties("admin"));
      try (Admin admin = Admin.create(adminProps)) {
        admin.createAcls(SecuredFlow.documentedAcls()).all().get();
      }
      Settings base = SecuredFlow.servicesOn(kafka.bootstrapServers(), security::clientProperties);
      try (LocalStack stack =
          LocalStack.start(base, dir.resolve("data"), LocalStack.Ports.ephemeral(), Map.of())) {
        String demoKey = stack.demoKey();
        Settings settings =
            base.with("kafka.schema-registry-url", stack.registryUrl())
                .with("gateway.signing-secret", "a-signing-secret-for-the-lone-services");

        SecuredFlow.servesHttpAndAJob(
            stack, kafka.bootstrapServers(), security.clientProperties("team-demo"));
        SecuredFlow.runsABatch(stack, dir);

        // Team beta may write requests, but not read demo's replies or the requests of others.
        Properties beta =
            SecuredFlow.properties(
                kafka.bootstrapServers(), security.clientProperties("team-beta"));
        for (String topic : List.of("llm-replies-demo-jobs", "llm-requests", "usage-events")) {
          assertThatThrownBy(() -> pollOnce(beta, topic))
              .as(topic)
              .isInstanceOf(TopicAuthorizationException.class);
        }
        // ... nor spend as demo by claiming demo's key hash: unsigned, it is no key at all.
        int billed = stack.mock().ledger().entries().size();
        SecuredFlow.sendAs(beta, stack, "forged-by-beta", KeyHash.sha256(demoKey));
        DeadLetter refused = SecuredFlow.awaitDeadLetter(adminProps, stack, "forged-by-beta");
        assertThat(refused.getReason()).startsWith("401 invalid_api_key");
        assertThat(stack.mock().ledger().entries()).hasSize(billed);

        long bill = stack.mock().ledger().totalCostMicros();
        assertThat(SecuredFlow.awaitSpend(stack, demoKey, bill))
            .as("the ledger reconciles")
            .isEqualTo(bill);
        assertThat(stack.isHealthy()).isTrue();
        assertNoCredentialOnAnyTopic(adminProps, demoKey);

        // A service with a wrong password, or whose principal lacks its ACLs, stops at start
        // and names the settings to look at.
        assertThatThrownBy(
                () ->
                    startAlone(
                        settings.with(
                            "usage.kafka.properties.sasl.jaas.config",
                            BrokerSecurity.plainLogin("usage", "wrong")),
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
                            BrokerSecurity.plainLogin("team-beta", "pw-team-beta")),
                        ctx -> RouterService.start(ctx, GatewayKeys.from(settings))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("router.kafka.properties.*")
            .hasMessageContaining("tollgate acls");
      }
    }
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

  /**
   * Reads every topic but the config (which holds key hashes by design), the request topics (where
   * a job's key, or ingest's signed hash, comes in, readable by the router alone) and the batch
   * topics and the batch runner's state (a batch keeps its creating key's hash to send each line
   * under it, signed; readable by ingest and the batch runner alone) and finds neither the key nor
   * its hash in any header or value.
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
      if (exempt.contains(topic)
          || topic.startsWith("batch")
          || topic.startsWith(BatchTopology.APPLICATION_ID)) {
        continue;
      }
      for (ConsumerRecord<String, byte[]> record : SecuredFlow.readAll(admin, topic)) {
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
