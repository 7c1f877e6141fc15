package dev.tollgate.router;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.auth.RequestHeaders.Credential;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.platform.streams.DecodeProcessor;
import dev.tollgate.platform.streams.Decoded;
import dev.tollgate.schemas.LlmRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The first step of every request through the router: takes its credential from the record's
 * headers (checking a vouched key hash's signature over the exact value bytes), removes the
 * credential headers so that nothing the router writes carries them, and decodes the value.
 */
final class RequestIntake implements FixedKeyProcessor<String, byte[], RequestIntake.Intake> {

  /**
   * A request as it came in: decoded (or poison), with who sent it and the SHA-256 of its value
   * bytes (what makes two records the same request, {@link SeenRequests}).
   */
  record Intake(Decoded<LlmRequest> decoded, Credential credential, String fingerprint) {}

  private final String service;
  private final Deserializer<LlmRequest> deserializer;
  private final Vouch vouch;
  private FixedKeyProcessorContext<String, Intake> context;

  RequestIntake(String service, Deserializer<LlmRequest> deserializer, Vouch vouch) {
    this.service = service;
    this.deserializer = deserializer;
    this.vouch = vouch;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Intake> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    Credential credential = RequestHeaders.take(record.headers(), record.value(), vouch);
    Decoded<LlmRequest> decoded = DecodeProcessor.decode(service, deserializer, context, record);
    context.forward(record.withValue(new Intake(decoded, credential, fingerprint(record.value()))));
  }

  private static String fingerprint(byte[] value) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
