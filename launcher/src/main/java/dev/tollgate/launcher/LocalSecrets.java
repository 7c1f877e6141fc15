package dev.tollgate.launcher;

import dev.tollgate.core.auth.KeyHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The demo key and admin token of local mode, made once and kept in the data directory (owner
 * read/write only), so a restart keeps working with the key the user already copied.
 */
final class LocalSecrets {

  private LocalSecrets() {}

  static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(file.getParent());
      String secret = KeyHash.newSecret();
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system (Windows): the file stays with the directory's permissions.
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep local secret in " + file, e);
    }
  }
}
