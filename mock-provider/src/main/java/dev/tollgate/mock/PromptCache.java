package dev.tollgate.mock;

/**
 * What a call's explicit cache breakpoint did (Anthropic's {@code cache_control}): the prompt
 * tokens read from the cache, or written to it for five minutes or an hour.
 */
record PromptCache(long read, long write5m, long write1h) {

  static final PromptCache NONE = new PromptCache(0, 0, 0);

  long written() {
    return write5m + write1h;
  }
}
