package dev.tollgate.launcher;

import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tollgate dlq replay}: re-submit dead-lettered requests. */
@Command(
    name = "dlq",
    description = "Work with the dead-letter topic.",
    subcommands = DlqCommand.Replay.class)
final class DlqCommand {

  @Command(
      name = "replay",
      description = "Re-submit dead-lettered requests to llm-requests under new ids.")
  static final class Replay implements Callable<Integer> {

    @Mixin ConnectionOptions connection;

    @Option(
        names = "--request-id",
        description = "A request to replay (repeatable; default: every request in the topic).")
    List<String> requestIds = new ArrayList<>();

    @Option(names = "--dry-run", description = "List what would be replayed, publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      Settings settings = connection.settings();
      KafkaSettings kafka = KafkaSettings.from(settings);
      AvroSerdes serdes =
          new AvroSerdes(
              new HttpSchemaRegistryClient(settings.string("kafka.schema-registry-url")));
      DeadLetterReplay.Result result =
          new DeadLetterReplay(kafka, serdes, Clock.systemUTC())
              .replay(DeadLetterReplay.byRequestId(new HashSet<>(requestIds)), dryRun);
      result
          .newIds()
          .forEach(id -> System.out.println((dryRun ? "would replay as " : "replayed as ") + id));
      System.out.printf(
          "%d dead letters examined, %d requests %s, %d undecodable records left alone%n",
          result.examined(),
          result.replayed(),
          dryRun ? "selected" : "replayed",
          result.skippedUndecodable());
      return 0;
    }
  }
}
