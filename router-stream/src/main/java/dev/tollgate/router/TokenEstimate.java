package dev.tollgate.router;

import dev.tollgate.schemas.ChatMessage;
import java.util.List;

/**
 * A prompt's token count, estimated before any provider sees it: 3 tokens per prompt, 4 per
 * message, and one per started 4 characters of text (OpenAI's rule of thumb for English). Good
 * enough to rank deployments by cost; budgets reserve on it too, so it errs on the side of
 * characters, not words. A real tokenizer (jtokkit for OpenAI models) is a later refinement.
 */
final class TokenEstimate {

  private TokenEstimate() {}

  static long promptTokens(List<ChatMessage> messages) {
    long tokens = 3;
    for (ChatMessage m : messages) {
      tokens += 4 + chars(m.getContent()) + chars(m.getName());
      for (var call : m.getToolCalls()) {
        tokens += chars(call.getFunctionName()) + chars(call.getArguments());
      }
    }
    return tokens;
  }

  private static long chars(String text) {
    return text == null ? 0 : (text.length() + 3) / 4;
  }
}
