package dev.tollgate.launcher;

import dev.tollgate.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate broker}: the single-node development broker that {@code up} embeds, on its own
 * (also how {@code local.broker: process} runs it).
 */
@Command(
    name = "broker",
    description = "Run a single-node development Kafka broker (KRaft), as `up` embeds it.")
final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = "data/kafka",
      description = "Where the broker keeps its logs (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "The broker's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--exit-with-parent",
      hidden = true,
      description = "Stop when stdin closes (the local stack's child process).")
  boolean exitWithParent;

  @Override
  public Integer call() throws InterruptedException, IOException {
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.toAbsolutePath(), port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                }));
    System.out.println(BrokerProcess.READY + kafka.bootstrapServers());
    System.out.flush();
    if (exitWithParent) {
      while (System.in.read() != -1) {
        // Nothing is sent on stdin; end of input means the parent is gone.
      }
      return 0;
    }
    stopped.await();
    return 0;
  }
}
