package dev.tollgate.mock;

/**
 * The mock's deterministic token accounting, so tests can predict usage exactly.
 *
 * <ul>
 *   <li>prompt: 3 tokens, plus 4 per message and one per started 4 characters of its text;
 *   <li>cached (automatic prompt caching): prompts of 1,024 tokens or more have half their tokens,
 *       rounded down to a multiple of 128, served from cache; with an explicit breakpoint
 *       (Anthropic's {@code cache_control}) instead the prefix up to it, written the first time and
 *       read after ({@link PromptCache});
 *   <li>answer: {@code "Mock reply to: " + last user text}, one token per started 4 characters, cut
 *       at {@code max_tokens} (finish reason {@code length});
 *   <li>reasoning: models named like reasoning models ({@code o1}, {@code o3-mini}, {@code
 *       o4-mini}, or containing {@code thinking}) spend twice the answer's tokens reasoning, billed
 *       as output.
 * </ul>
 *
 * @param promptTokens every prompt token, cached ones included
 * @param cachedTokens the part of the prompt served from cache
 * @param cache what an explicit breakpoint wrote (its reads are {@code cachedTokens})
 * @param answerTokens visible output tokens, of every choice
 * @param reasoningTokens hidden reasoning tokens (billed as output), of every choice
 * @param answer the visible text
 * @param truncated whether {@code max_tokens} cut the answer
 */
record MockUsage(
    long promptTokens,
    long cachedTokens,
    PromptCache cache,
    long answerTokens,
    long reasoningTokens,
    String answer,
    boolean truncated) {

  static MockUsage of(MockCall call) {
    long prompt = 3;
    for (String text : call.texts()) {
      prompt += 4 + textTokens(text);
    }
    long cached = prompt >= 1024 ? (prompt / 2) / 128 * 128 : 0;
    String answer = "Mock reply to: " + call.lastUserText();
    long answerTokens = textTokens(answer);
    boolean truncated = call.maxTokens() != null && answerTokens > call.maxTokens();
    if (truncated) {
      answerTokens = call.maxTokens();
      answer = answer.substring(0, (int) Math.min(answer.length(), answerTokens * 4));
    }
    long reasoning = call.thinks() || isReasoningModel(call.model()) ? 2 * answerTokens : 0;
    // n choices: each the same answer, each billed; the prompt once.
    PromptCache cache = call.cache() == null ? PromptCache.NONE : call.cache();
    if (call.cache() != null) {
      cached = cache.read();
    }
    return new MockUsage(
        prompt, cached, cache, answerTokens * call.n(), reasoning * call.n(), answer, truncated);
  }

  long outputTokens() {
    return answerTokens + reasoningTokens;
  }

  static long textTokens(String text) {
    return text == null ? 0 : (text.length() + 3) / 4;
  }

  private static boolean isReasoningModel(String model) {
    return model.matches("o\\d.*") || model.contains("thinking");
  }
}
