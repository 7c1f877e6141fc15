package dev.tollgate.launcher;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import dev.tollgate.embedded.EmbeddedKafka;
import java.nio.file.Path;

/**
 * The local stack's single-node broker: in the stack's own JVM (the default), or in a process of
 * its own ({@code local.broker: process}), which can be killed like a real broker and whose CPU is
 * not the gateway's; or none ({@code local.broker: external}): the stack runs on the cluster that
 * {@code kafka.bootstrap-servers} names, with the client properties the settings give (a secured
 * cluster of one's own).
 */
sealed interface LocalBroker extends AutoCloseable
    permits LocalBroker.InJvm, LocalBroker.External, BrokerProcess {

  String bootstrapServers();

  @Override
  void close();

  /**
   * Starts the broker {@code mode} names on {@code kafkaDir} and {@code port} (0 picks a free one);
   * a process writes its log to {@code logFile}.
   */
  static LocalBroker start(Settings settings, Path kafkaDir, int port, Path logFile) {
    String mode = settings.string("local.broker", "embedded");
    return switch (mode) {
      case "embedded" -> new InJvm(EmbeddedKafka.start(kafkaDir, port));
      case "process" -> BrokerProcess.start(kafkaDir, port, logFile);
      case "external" -> new External(settings.string("kafka.bootstrap-servers"));
      default ->
          throw new ConfigException(
              "local.broker must be 'embedded', 'process' or 'external', not '" + mode + "'");
    };
  }

  /** A cluster the stack does not run. */
  record External(String bootstrapServers) implements LocalBroker {
    @Override
    public void close() {}
  }

  /** The broker in this JVM. */
  record InJvm(EmbeddedKafka kafka) implements LocalBroker {
    @Override
    public String bootstrapServers() {
      return kafka.bootstrapServers();
    }

    @Override
    public void close() {
      kafka.close();
    }
  }
}
