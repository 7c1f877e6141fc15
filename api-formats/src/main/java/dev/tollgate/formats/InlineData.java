package dev.tollgate.formats;

import java.nio.ByteBuffer;
import java.util.Base64;

/** Base64 content inline in a request (an image, a PDF, audio), decoded within a bound. */
public final class InlineData {

  /** The default bound of one part's inline content, decoded ({@code ingest.max-image-bytes}). */
  public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

  private final long maxBytes;

  /**
   * @param maxBytes the most bytes one part's inline content may decode to
   */
  public InlineData(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** {@code text} decoded; {@code at} names the field in errors. */
  public ByteBuffer decode(String text, String at) throws InvalidRequest {
    // Decoded, base64 is three quarters of its length: refuse before decoding what is too big.
    if ((long) text.length() * 3 / 4 > maxBytes) {
      throw InvalidRequest.of(
          at + " is over the " + maxBytes + "-byte limit of inline content.", at);
    }
    try {
      // Strict, but line breaks (as some encoders wrap base64) are no error.
      return ByteBuffer.wrap(Base64.getDecoder().decode(text.replaceAll("\\s", "")));
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.of(at + " is not valid base64.", at);
    }
  }
}
