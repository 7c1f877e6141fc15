package dev.tollgate.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local broker in a child JVM ({@code tollgate broker}, on this JVM's class path), so that it
 * can be killed with SIGKILL and restarted on its data like a real broker. The child exits when its
 * stdin closes, so it never outlives this JVM, even when this one is killed.
 */
final class BrokerProcess implements LocalBroker {

  /** What {@code tollgate broker} prints, followed by its bootstrap address, once it serves. */
  static final String READY = "tollgate broker ready at ";

  private static final long START_TIMEOUT_SECONDS = 90;
  private static final long STOP_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  static BrokerProcess start(Path kafkaDir, int port, Path logFile) {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            Tollgate.class.getName(),
            "broker",
            "--data-dir",
            kafkaDir.toString(),
            "--port",
            Integer.toString(port),
            "--exit-with-parent");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the broker process", e);
    }
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread log = new Thread(() -> copyLog(process, logFile, ready), "broker-process-log");
    log.setDaemon(true);
    log.start();
    try {
      return new BrokerProcess(process, ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while the broker process started", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the broker process did not start; see " + logFile, e);
    }
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Kills the broker with SIGKILL (no clean shutdown, nothing flushed) and waits for it to go. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** Stops the broker cleanly (SIGTERM), or kills it if it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Copies the child's output to {@code logFile}, completing {@code ready} at its ready line. */
  private static void copyLog(Process process, Path logFile, CompletableFuture<String> ready) {
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(
                logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = out.readLine()) != null) {
        log.write(line);
        log.write('\n');
        if (line.startsWith(READY)) {
          ready.complete(line.substring(READY.length()).trim());
          log.flush();
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
      return;
    }
    if (!ready.isDone()) {
      process
          .onExit()
          .thenAccept(
              exited ->
                  ready.completeExceptionally(
                      new IllegalStateException(
                          "the broker process exited with " + exited.exitValue())));
    }
  }
}
