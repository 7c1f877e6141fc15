package dev.tollgate.launcher;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Produces records with kcat, a Kafka client on librdkafka (C), not the Java client: how a test
 * sends what another language's job would. {@code .ci/run} installs it (Debian's {@code kcat}).
 */
final class Kcat {

  private Kcat() {}

  static boolean installed() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "kcat"))) {
        return true;
      }
    }
    return false;
  }

  /** Sends one record of {@code value}, keyed {@code key}, with {@code headers}, and waits. */
  static void produce(
      String bootstrap, String topic, String key, Map<String, String> headers, byte[] value)
      throws Exception {
    Path file = Files.createTempFile("kcat", ".bin");
    try {
      Files.write(file, value);
      List<String> command =
          new ArrayList<>(List.of("kcat", "-P", "-b", bootstrap, "-t", topic, "-k", key));
      headers.forEach((name, v) -> command.addAll(List.of("-H", name + "=" + v)));
      command.add(file.toString());
      Process kcat = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!kcat.waitFor(30, TimeUnit.SECONDS)) {
        kcat.destroyForcibly();
        throw new IllegalStateException("kcat did not finish within 30 s");
      }
      String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (kcat.exitValue() != 0) {
        throw new IllegalStateException("kcat failed (" + kcat.exitValue() + "): " + output);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
