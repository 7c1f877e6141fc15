package dev.tollgate.launcher;

import dev.tollgate.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tollgate up}: everything in one JVM, until Ctrl-C. */
@Command(
    name = "up",
    description = "Run everything in one JVM (embedded Kafka, registry, mock providers).")
final class UpCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where topics, state and secrets are kept (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "The API port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "The embedded broker's port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Override
  public Integer call() throws InterruptedException {
    Instant begin = Instant.now();
    Settings settings = connection.settings();
    LocalStack.Ports defaults = LocalStack.Ports.defaults();
    LocalStack.Ports ports =
        new LocalStack.Ports(
            kafkaPort,
            defaults.registry(),
            port,
            defaults.usage(),
            defaults.router(),
            defaults.workers(),
            defaults.batch(),
            defaults.mock());
    LocalStack stack = LocalStack.start(settings, dataDir.toAbsolutePath(), ports, System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Tollgate...");
                  stack.close();
                  stopped.countDown();
                }));
    System.out.println(banner(stack, Duration.between(begin, Instant.now())));
    stopped.await();
    return 0;
  }

  private String banner(LocalStack stack, Duration took) {
    String curl =
        "curl -s "
            + stack.apiUrl()
            + "/chat/completions \\\n"
            + "    -H \"Authorization: Bearer "
            + stack.demoKey()
            + "\" \\\n"
            + "    -H \"Content-Type: application/json\" \\\n"
            + "    -d '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'";
    return String.join(
        "\n",
        "",
        "Tollgate is up in all-in-one local mode (started in "
            + took.toMillis()
            + " ms; data in "
            + dataDir
            + ")",
        "",
        "  OpenAI-compatible API   " + stack.apiUrl(),
        "  Demo key (team demo)    " + stack.demoKey(),
        "  Admin token             in " + dataDir.resolve("admin-token"),
        "  Team spend              " + stack.usageUrl() + "/teams/" + LocalStack.DEMO_TEAM,
        "  Mock provider ledger    http://127.0.0.1:" + stack.mock().port() + "/_mock/ledger",
        "  Schema registry         " + stack.registryUrl(),
        "  Kafka                   " + stack.bootstrapServers(),
        "",
        "Try it:",
        "  " + curl,
        "",
        "Ctrl-C stops everything.");
  }
}
