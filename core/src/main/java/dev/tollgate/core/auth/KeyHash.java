package dev.tollgate.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Gateway key secrets: how they are made and the only form in which they are stored. */
public final class KeyHash {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private KeyHash() {}

  /** The SHA-256 of {@code secret}, hex. Keys are long random strings, so no salt is needed. */
  public static String sha256(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Whether two hashes are equal, in time that does not depend on where they differ. */
  public static boolean matches(String hashA, String hashB) {
    return MessageDigest.isEqual(
        hashA.getBytes(StandardCharsets.US_ASCII), hashB.getBytes(StandardCharsets.US_ASCII));
  }

  /** A new secret: {@code tg-} and 40 random base-62 characters (about 238 bits). */
  public static String newSecret() {
    StringBuilder secret = new StringBuilder("tg-");
    for (int i = 0; i < 40; i++) {
      secret.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return secret.toString();
  }
}
