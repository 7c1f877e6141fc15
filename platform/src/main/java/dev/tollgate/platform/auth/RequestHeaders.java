package dev.tollgate.platform.auth;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers that say who sent a request on {@code llm-requests}. A backend job sends its
 * gateway key's secret in {@value #API_KEY}; ingest-api, which has already checked the bearer key,
 * sends only its SHA-256 in {@value #KEY_SHA256}, so HTTP clients' secrets never reach a topic. The
 * router authenticates every request from one of them.
 */
public final class RequestHeaders {

  public static final String API_KEY = "tollgate-api-key";
  public static final String KEY_SHA256 = "tollgate-key-sha256";

  private RequestHeaders() {}

  /** The SHA-256 of the key a record carries, from either header. */
  public static Optional<String> keyHash(Headers headers) {
    Optional<String> secret = last(headers, API_KEY);
    if (secret.isPresent()) {
      return Optional.of(KeyHash.sha256(secret.get()));
    }
    return last(headers, KEY_SHA256);
  }

  private static Optional<String> last(Headers headers, String name) {
    Header header = headers == null ? null : headers.lastHeader(name);
    if (header == null || header.value() == null || header.value().length == 0) {
      return Optional.empty();
    }
    return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
