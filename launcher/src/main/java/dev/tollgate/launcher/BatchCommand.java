package dev.tollgate.launcher;

import dev.tollgate.client.TollgateClient;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate batch submit FILE.jsonl --out results.jsonl}: a batch file through Kafka. */
@Command(
    name = "batch",
    description = "Run OpenAI Batch files through the gateway.",
    subcommands = BatchCommand.Submit.class)
final class BatchCommand {

  @Command(
      name = "submit",
      description =
          "Submit every line of an OpenAI Batch input file; append answers to --out. Re-running"
              + " skips the custom_ids already answered there.")
  static final class Submit implements Callable<Integer> {

    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", description = "The batch input file (JSONL).")
    Path input;

    @Option(names = "--out", required = true, description = "The output file (JSONL, appended).")
    Path output;

    @Option(
        names = "--key",
        defaultValue = "${env:TOLLGATE_KEY}",
        description = "The gateway key (TOLLGATE_KEY).")
    String key;

    @Option(names = "--team", required = true, description = "The key's team id.")
    String team;

    @Option(
        names = "--reply-topic",
        description = "The reply topic, one of the team's (default: llm-replies-<team>-batch).")
    String replyTopic;

    @Option(
        names = "--max-in-flight",
        defaultValue = "64",
        description = "Requests waiting at once (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(
        names = "--timeout-s",
        defaultValue = "600",
        description = "Deadline of each request in seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      if (key == null || key.isBlank()) {
        System.err.println("tollgate batch: --key (or TOLLGATE_KEY) is required");
        return 2;
      }
      Settings settings = connection.settings();
      KafkaSettings kafka = KafkaSettings.from(settings);
      try (TollgateClient client =
          TollgateClient.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .schemaRegistryUrl(kafka.schemaRegistryUrl())
              .topicPrefix(kafka.topics().prefix())
              .apiKey(key)
              .teamId(team)
              .replyTopic(
                  replyTopic != null ? replyTopic : kafka.topics().teamReplyPrefix(team) + "batch")
              .build()) {
        BatchRun.Summary s =
            new BatchRun(client, maxInFlight, Duration.ofSeconds(timeoutSeconds), System.err)
                .run(input, output);
        System.out.printf(
            "%d submitted: %d succeeded, %d failed; %d bad lines; %d already answered%n",
            s.submitted(), s.succeeded(), s.failed(), s.badLines(), s.skipped());
        return s.failed() + s.badLines() == 0 ? 0 : 1;
      }
    }
  }
}
