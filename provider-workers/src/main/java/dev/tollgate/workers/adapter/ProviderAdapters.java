package dev.tollgate.workers.adapter;

import dev.tollgate.core.config.ConfigException;
import java.time.Clock;

/** Which adapter speaks which provider API (the catalog's {@code api} of a provider). */
public final class ProviderAdapters {

  private ProviderAdapters() {}

  /** The adapter of {@code endpoint}'s API. */
  public static ProviderAdapter forEndpoint(ProviderEndpoint endpoint, Clock clock) {
    return switch (endpoint.api()) {
      case "openai", "azure-openai" -> new OpenAiAdapter(endpoint, clock);
      case "anthropic" -> new AnthropicAdapter(endpoint, clock);
      case "gemini" -> new GeminiAdapter(endpoint, clock);
      default ->
          throw new ConfigException(
              "providers[" + endpoint.name() + "].api: '" + endpoint.api() + "' has no adapter");
    };
  }
}
