package dev.tollgate.core.auth;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How ingest-api (and the batch runner) vouch for the key of a client they authenticated, so that
 * no other producer on {@code llm-requests} can claim a key by its hash: the request carries the
 * key's SHA-256 in {@value RequestHeaders#KEY_SHA256} and, in {@value RequestHeaders#VOUCH}, an
 * HMAC-SHA256 over that hash and the record's value bytes, with a secret only the vouching services
 * and the router hold ({@code gateway.signing-secret}). The signature binds every field of the
 * request (its id, team, model, messages, deadline, reply topic), so a party that can read the
 * topic can replay a request as it was but cannot change it, and the router refuses a replayed
 * request id. Decision 0028.
 */
public final class Vouch {

  /** The shortest secret accepted: 32 characters, as many bits as the HMAC's key needs. */
  public static final int MIN_SECRET_LENGTH = 32;

  private static final String ALGORITHM = "HmacSHA256";

  /** One initialised MAC per thread: every request on the router's hot path is checked. */
  private final ThreadLocal<Mac> macs;

  public Vouch(String secret) {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "the signing secret must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
              }
            });
  }

  /** The setting that holds the secret, shared by ingest-api, the batch runner and the router. */
  public static final String SECRET_SETTING = "gateway.signing-secret";

  /** The vouch of {@value #SECRET_SETTING}, which must be set. */
  public static Vouch from(Settings settings) {
    try {
      return new Vouch(settings.string(SECRET_SETTING));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SECRET_SETTING + ": " + e.getMessage(), e);
    }
  }

  /** The signature of a request with key hash {@code keyHash} and value {@code value}. */
  public byte[] sign(String keyHash, byte[] value) {
    Mac mac = macs.get();
    mac.update(keyHash.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) '\n');
    return mac.doFinal(value == null ? new byte[0] : value);
  }

  /** Whether {@code signature} is this secret's signature of the hash and value. */
  public boolean verify(String keyHash, byte[] value, byte[] signature) {
    return signature != null && MessageDigest.isEqual(sign(keyHash, value), signature);
  }

  /**
   * {@code inner}, signing each value whose headers carry a key hash: the signature goes in {@value
   * RequestHeaders#VOUCH}, replacing any there. For the producers of vouched requests (a Kafka
   * producer's or a Streams sink's value serializer), which are the only place the exact bytes are
   * known.
   */
  public <T> Serializer<T> signing(Serializer<T> inner) {
    return new Serializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
      }

      @Override
      public byte[] serialize(String topic, T data) {
        return inner.serialize(topic, data);
      }

      @Override
      public byte[] serialize(String topic, Headers headers, T data) {
        byte[] bytes = inner.serialize(topic, headers, data);
        Header hash = headers == null ? null : headers.lastHeader(RequestHeaders.KEY_SHA256);
        if (hash != null && hash.value() != null) {
          headers.remove(RequestHeaders.VOUCH);
          headers.add(
              RequestHeaders.VOUCH,
              sign(new String(hash.value(), StandardCharsets.US_ASCII), bytes));
        }
        return bytes;
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
