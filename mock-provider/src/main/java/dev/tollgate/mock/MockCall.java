package dev.tollgate.mock;

import java.util.List;

/**
 * One chat call as the mock sees it, whatever wire format it came in.
 *
 * @param provider the path prefix it was sent to
 * @param model the provider's model name
 * @param texts every message's text, system prompt included, in order
 * @param lastUserText what the mock echoes back
 * @param maxTokens the output cap, or null
 * @param forcedTool the tool the request makes the model call, or null: the mock calls it, its
 *     answer the call's input
 * @param n how many choices (candidates) to answer with, each the same answer
 * @param thinks whether the request asked the model to think (Anthropic's extended thinking)
 * @param cache what its cache breakpoint read or wrote, or null without one (then the API's own
 *     automatic caching applies, see {@link MockUsage})
 */
record MockCall(
    String provider,
    String model,
    List<String> texts,
    String lastUserText,
    Integer maxTokens,
    String forcedTool,
    int n,
    boolean thinks,
    PromptCache cache) {}
