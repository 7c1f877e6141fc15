package dev.tollgate.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined broker and controller) in this JVM, for local mode and
 * tests. Its log directory persists, so a restart on the same directory keeps topics and data.
 * Internal topics use replication factor 1, which a single node needs or consumers hang.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code dataDir} if it is new, starts the broker on {@code port} (0 picks a free one)
   * and returns once it answers metadata requests.
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, null);
  }

  /**
   * A broker whose only client listener is SASL_SSL (PLAIN) with the {@code StandardAuthorizer}: a
   * secured cluster, for tests. The controller listener stays plaintext on loopback (its principal,
   * {@code User:ANONYMOUS}, is a super user, as the broker's own controller channel must be); no
   * client is told of it.
   */
  public static EmbeddedKafka startSecured(Path dataDir, BrokerSecurity security) {
    return start(dataDir, 0, security);
  }

  private static EmbeddedKafka start(Path dataDir, int port, BrokerSecurity security) {
    int[] free = freePorts(2);
    int brokerPort = port == 0 ? free[0] : port;
    int controllerPort = free[1] != brokerPort ? free[1] : free[0];
    Properties props = brokerProperties(dataDir, brokerPort, controllerPort);
    Properties client = new Properties();
    if (security != null) {
      props.putAll(security.brokerProperties(brokerPort, controllerPort));
      client.putAll(security.clientProperties(security.admin()));
    }
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    format(config, dataDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + brokerPort;
    EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap);
    try {
      kafka.awaitReady(client);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    LOG.info("Embedded Kafka broker ready at {} (data in {})", bootstrap, dataDir);
    return kafka;
  }

  /** A broker on a fresh temporary directory and a free port, for tests. */
  public static EmbeddedKafka startTemporary() {
    try {
      return start(Files.createTempDirectory("tollgate-kafka-"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // After a crash the restarted broker waits out its old registration's session before it is
    // unfenced: 9 s by default, most of a local restart (decision 0032).
    p.put("broker.session.timeout.ms", "2000");
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // The broker's own threads; two cores do not need Kafka's server defaults.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    return p;
  }

  /** Formats the log directory unless a previous run did: a restart keeps its cluster id. */
  private static void format(KafkaConfig config, Path dataDir) {
    if (Files.exists(Path.of(config.metadataLogDir(), "meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(dataDir);
      Formatter formatter =
          new Formatter()
              .setPrintStream(
                  new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
              .setNodeId(config.nodeId())
              .setClusterId(Uuid.randomUuid().toString())
              .setControllerListenerName("CONTROLLER")
              .setMetadataLogDirectory(config.metadataLogDir())
              .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
              .setFeatureLevel("transaction.version", (short) 1);
      config.logDirs().forEach(formatter::addDirectory);
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + dataDir, e);
    }
  }

  private void awaitReady(Properties client) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    try (Admin admin = Admin.create(props)) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("embedded Kafka did not become ready", e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /**
   * {@code count} distinct free ports: the sockets are held open together, so the system cannot
   * hand the same port out twice (as it may to two sockets opened one after the other).
   */
  private static int[] freePorts(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          try {
            socket.close();
          } catch (IOException e) {
            // Closing a socket that was only probed for its port: nothing to recover.
          }
        }
      }
    }
  }
}
