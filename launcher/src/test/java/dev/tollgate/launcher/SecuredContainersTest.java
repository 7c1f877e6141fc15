package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.config.Settings;
import dev.tollgate.embedded.BrokerSecurity;
import dev.tollgate.schemas.DeadLetter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The secured flow of {@link SecuredClusterTest} on the real thing, for users with Docker: {@code
 * apache/kafka} whose client listener wants SASL/PLAIN, with the {@code StandardAuthorizer} and the
 * documented ACLs, and Confluent's own {@code cp-schema-registry} with basic auth, set up as {@code
 * docs/security.md} describes. Skipped where no container can run (as in CI here).
 */
@Testcontainers(disabledWithoutDocker = true)
class SecuredContainersTest {

  private static final List<String> USERS =
      List.of("admin", "router", "workers", "usage", "ingest", "batch", "team-demo", "team-beta");
  private static final Network NETWORK = Network.newNetwork();

  @Container
  private static final KafkaContainer KAFKA =
      new KafkaContainer("apache/kafka:4.1.0")
          .withNetwork(NETWORK)
          .withNetworkAliases("kafka")
          // The client listener (PLAINTEXT by name) speaks SASL; the broker's own listeners and
          // the registry's, inside the Docker network, stay plaintext as the broker itself.
          .withEnv(
              "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
              "BROKER:PLAINTEXT,PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
          .withEnv("KAFKA_SASL_ENABLED_MECHANISMS", "PLAIN")
          .withEnv("KAFKA_LISTENER_NAME_PLAINTEXT_SASL_ENABLED_MECHANISMS", "PLAIN")
          .withEnv("KAFKA_LISTENER_NAME_PLAINTEXT_PLAIN_SASL_JAAS_CONFIG", brokerJaas())
          .withEnv(
              "KAFKA_AUTHORIZER_CLASS_NAME",
              "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
          .withEnv("KAFKA_SUPER_USERS", "User:admin;User:ANONYMOUS");

  @Container
  private static final GenericContainer<?> REGISTRY =
      new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
          .withNetwork(NETWORK)
          .dependsOn(KAFKA)
          .withExposedPorts(8081)
          .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
          // Inside its container: Docker maps the port to the host's loopback side only.
          .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
          .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:9093")
          .withEnv("SCHEMA_REGISTRY_AUTHENTICATION_METHOD", "BASIC")
          .withEnv("SCHEMA_REGISTRY_AUTHENTICATION_REALM", "SchemaRegistry")
          .withEnv("SCHEMA_REGISTRY_AUTHENTICATION_ROLES", "tollgate")
          .withEnv(
              "SCHEMA_REGISTRY_OPTS",
              "-Djava.security.auth.login.config=/etc/schema-registry/tollgate-jaas.conf")
          .withCopyToContainer(
              Transferable.of(
                  "SchemaRegistry { org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required"
                      + " file=\"/etc/schema-registry/tollgate-users\"; };"),
              "/etc/schema-registry/tollgate-jaas.conf")
          .withCopyToContainer(
              Transferable.of(SecuredFlow.REGISTRY_AUTH.replace(":", ": ") + ",tollgate\n"),
              "/etc/schema-registry/tollgate-users")
          .waitingFor(Wait.forHttp("/subjects").forStatusCode(401));

  @TempDir Path dir;

  @Test
  void theGatewayRunsOnASaslClusterWithConfluentsRegistry() throws Exception {
    Properties adminProps = SecuredFlow.properties(KAFKA.getBootstrapServers(), client("admin"));
    try (Admin admin = Admin.create(adminProps)) {
      admin.createAcls(SecuredFlow.documentedAcls()).all().get();
    }
    Settings settings =
        SecuredFlow.servicesOn(KAFKA.getBootstrapServers(), SecuredContainersTest::client)
            .with(
                "kafka.schema-registry-url",
                "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081));
    try (LocalStack stack =
        LocalStack.start(settings, dir.resolve("data"), LocalStack.Ports.ephemeral(), Map.of())) {
      String demoKey = stack.demoKey();
      SecuredFlow.servesHttpAndAJob(stack, KAFKA.getBootstrapServers(), client("team-demo"));
      SecuredFlow.runsABatch(stack, dir);
      int billed = stack.mock().ledger().entries().size();
      SecuredFlow.sendAs(
          SecuredFlow.properties(KAFKA.getBootstrapServers(), client("team-beta")),
          stack,
          "forged-in-a-container",
          KeyHash.sha256(demoKey));
      DeadLetter refused = SecuredFlow.awaitDeadLetter(adminProps, stack, "forged-in-a-container");
      assertThat(refused.getReason()).startsWith("401 invalid_api_key");
      assertThat(stack.mock().ledger().entries()).hasSize(billed);
    }
  }

  /** The client properties of {@code user} on the SASL/PLAIN listener. */
  private static Map<String, String> client(String user) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", BrokerSecurity.plainLogin(user, "pw-" + user));
    return p;
  }

  private static String brokerJaas() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required "
        + USERS.stream()
            .map(u -> "user_" + u + "=\"pw-" + u + "\"")
            .collect(Collectors.joining(" "))
        + ";";
  }
}
