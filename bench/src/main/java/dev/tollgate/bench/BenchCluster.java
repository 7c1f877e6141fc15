package dev.tollgate.bench;

import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.config.Settings;
import dev.tollgate.embedded.EmbeddedKafka;
import dev.tollgate.embedded.registry.EmbeddedSchemaRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What every scenario runs on: a fresh embedded broker, an in-memory schema registry and a Vert.x
 * instance, with the settings that point at them plus the run's overrides.
 */
final class BenchCluster implements AutoCloseable {

  final EmbeddedKafka kafka;
  final Vertx vertx;
  final EmbeddedSchemaRegistry registry;
  final Settings settings;
  private final Path stateDir;

  BenchCluster(Map<String, String> overrides) {
    kafka = EmbeddedKafka.startTemporary();
    try {
      // Streams state of its own: state left by another run belongs to another cluster.
      stateDir = Files.createTempDirectory("tollgate-bench-streams");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    registry = EmbeddedSchemaRegistry.startInMemory(vertx, "127.0.0.1", 0);
    Settings s =
        Settings.empty()
            .with("kafka.bootstrap-servers", kafka.bootstrapServers())
            .with("kafka.schema-registry-url", registry.url())
            .with("kafka.partitions", "4")
            .with("streams.state-dir", stateDir.toString())
            // The secret ingest-api and the router share (decision 0028): one per run.
            .with(Vouch.SECRET_SETTING, UUID.randomUUID().toString());
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      s = s.with(override.getKey(), override.getValue());
    }
    settings = s;
  }

  /** A read-committed consumer on every partition of {@code topic}, positioned at its end. */
  static KafkaConsumer<String, byte[]> tail(Properties clientProps, String topic) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put("isolation.level", "read_committed");
    props.put("fetch.max.wait.ms", "5");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  @Override
  public void close() throws Exception {
    registry.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    kafka.close();
    deleteTree(stateDir);
  }

  /** Deletes a run's directory and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
