package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBrokerTest {

  private static final Settings PROCESS = Settings.empty().with("local.broker", "process");

  @TempDir Path dataDir;

  @Test
  void aBrokerProcessKilledWithSigkillComesBackOnItsPortWithItsData() throws Exception {
    BrokerProcess broker =
        (BrokerProcess)
            LocalBroker.start(PROCESS, dataDir.resolve("kafka"), 0, dataDir.resolve("log"));
    String bootstrap = broker.bootstrapServers();
    try {
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("kept", "k", "before the kill")).get();
      }

      broker.kill();
      broker =
          (BrokerProcess)
              LocalBroker.start(
                  PROCESS, dataDir.resolve("kafka"), port(bootstrap), dataDir.resolve("log"));

      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(readAll(bootstrap, "kept")).containsExactly("before the kill");
    } finally {
      broker.close();
    }
  }

  @Test
  void anUnknownModeIsAConfigurationError() {
    assertThatThrownBy(
            () ->
                LocalBroker.start(
                    Settings.empty().with("local.broker", "docker"),
                    dataDir,
                    0,
                    dataDir.resolve("log")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("local.broker");
  }

  private static int port(String bootstrap) {
    return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
  }

  private static List<String> readAll(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        List<String> values =
            consumer.poll(Duration.ofMillis(500)).records(partition).stream()
                .map(ConsumerRecord::value)
                .toList();
        if (!values.isEmpty()) {
          return values;
        }
      }
      return List.of();
    }
  }
}
