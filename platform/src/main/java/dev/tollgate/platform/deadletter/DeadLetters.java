package dev.tollgate.platform.deadletter;

import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Builds the dead letter of a record that could not be processed. Headers are kept for the
 * operator, except any that could hold a secret (names containing "key", "secret", "token" or
 * "authorization"): a dead letter must never carry a credential.
 */
public final class DeadLetters {

  private DeadLetters() {}

  /** Where a record came from. */
  public record Source(String topic, int partition, long offset) {}

  /** The dead letter of a record that could not be decoded or was not valid. */
  public static DeadLetter poison(
      String service,
      Source source,
      String key,
      byte[] payload,
      Headers headers,
      String reason,
      Instant at) {
    return of(service, source, key, headers, reason, at)
        .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
        .build();
  }

  /** The dead letter of a request refused before routing, which cannot be answered (or is bad). */
  public static DeadLetter refused(
      String service,
      Source source,
      String key,
      LlmRequest request,
      Headers headers,
      String reason,
      Instant at) {
    return of(service, source, key, headers, reason, at).setRequest(request).build();
  }

  private static DeadLetter.Builder of(
      String service, Source source, String key, Headers headers, String reason, Instant at) {
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setFailedBy(service)
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setSourceKey(key)
        .setHeaders(safeHeaders(headers))
        .setFailedAt(at);
  }

  /** The headers worth keeping, as text, with anything that could be a secret left out. */
  public static Map<String, String> safeHeaders(Headers headers) {
    Map<String, String> kept = new LinkedHashMap<>();
    if (headers == null) {
      return kept;
    }
    for (Header header : headers) {
      if (!mayHoldSecret(header.key()) && header.value() != null) {
        kept.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return kept;
  }

  static boolean mayHoldSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("key")
        || n.contains("secret")
        || n.contains("token")
        || n.contains("authorization");
  }
}
