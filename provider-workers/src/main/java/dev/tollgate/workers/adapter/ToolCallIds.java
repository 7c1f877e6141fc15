package dev.tollgate.workers.adapter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Tool-call ids for providers that have none (Gemini), and the thought signature Gemini attaches to
 * a function call carried inside the id: a client sends the id back unchanged with the tool result
 * (OpenAI's and Anthropic's shapes have no other place for it), so Gemini gets its signature back
 * in the next turn as it requires. Other providers are sent the id without it, so a conversation
 * can move between providers (OpenAI takes ids of at most 40 characters).
 */
final class ToolCallIds {

  /** Between the id and the signature; ids Tollgate mints never contain it. */
  private static final String SIGNED = "__ts_";

  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private ToolCallIds() {}

  /**
   * An id unique across a conversation's turns: the response's id (letters and digits, at most 24)
   * and the call's place in it, or a random one when the response has no id.
   */
  static String mint(String responseId, int index) {
    String base = responseId == null ? "" : responseId.replaceAll("[^A-Za-z0-9]", "");
    if (base.isEmpty()) {
      base = UUID.randomUUID().toString().replace("-", "");
    }
    return "call_" + base.substring(0, Math.min(24, base.length())) + "_" + index;
  }

  /** {@code id} carrying {@code signature} (none when null). */
  static String signed(String id, String signature) {
    return signature == null
        ? id
        : id + SIGNED + ENCODE.encodeToString(signature.getBytes(StandardCharsets.UTF_8));
  }

  /** The id as the client knew it before signing: what other providers are sent. */
  static String plain(String id) {
    int at = id == null ? -1 : id.indexOf(SIGNED);
    return at < 0 ? id : id.substring(0, at);
  }

  /** The signature {@code id} carries, if any (one that does not decode is none). */
  static Optional<String> signature(String id) {
    int at = id == null ? -1 : id.indexOf(SIGNED);
    if (at < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new String(DECODE.decode(id.substring(at + SIGNED.length())), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
