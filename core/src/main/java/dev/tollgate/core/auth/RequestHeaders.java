package dev.tollgate.core.auth;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers that say who sent a request on {@code llm-requests}. A backend job sends its
 * gateway key's secret in {@value #API_KEY}; ingest-api, which has already checked the bearer key,
 * sends only its SHA-256 in {@value #KEY_SHA256}, signed in {@value #VOUCH} ({@link Vouch}), so
 * HTTP clients' secrets never reach a topic and no other producer can claim a key by its hash. The
 * router reads them once, as a {@link Credential}, and removes them: nothing it writes carries
 * them.
 */
public final class RequestHeaders {

  public static final String API_KEY = "tollgate-api-key";
  public static final String KEY_SHA256 = "tollgate-key-sha256";
  public static final String VOUCH = "tollgate-vouch";

  private RequestHeaders() {}

  /** Who a request's headers say sent it. */
  public record Credential(Optional<String> keyHash, boolean vouched) {

    /** No usable credential: no key, or a key hash nobody vouched for. */
    public static Credential none() {
      return new Credential(Optional.empty(), false);
    }
  }

  /**
   * The credential of a record with {@code headers} and value bytes {@code value}: the hash of its
   * key secret, or the key hash a Tollgate service signed. A hash without a valid signature is no
   * credential. The three headers are removed from {@code headers}.
   */
  public static Credential take(Headers headers, byte[] value, Vouch vouch) {
    if (headers == null) {
      return Credential.none();
    }
    Optional<String> secret = last(headers, API_KEY);
    Optional<String> hash = last(headers, KEY_SHA256);
    Header signature = headers.lastHeader(VOUCH);
    strip(headers);
    if (secret.isPresent()) {
      return new Credential(Optional.of(KeyHash.sha256(secret.get())), false);
    }
    if (hash.isPresent()
        && signature != null
        && vouch.verify(hash.get(), value, signature.value())) {
      return new Credential(hash, true);
    }
    return Credential.none();
  }

  /** Removes every header that names or proves a key. */
  public static void strip(Headers headers) {
    headers.remove(API_KEY);
    headers.remove(KEY_SHA256);
    headers.remove(VOUCH);
  }

  private static Optional<String> last(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    if (header == null || header.value() == null || header.value().length == 0) {
      return Optional.empty();
    }
    return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
