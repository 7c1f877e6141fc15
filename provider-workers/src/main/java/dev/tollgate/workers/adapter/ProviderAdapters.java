package dev.tollgate.workers.adapter;

import dev.tollgate.core.config.ConfigException;

/** Which adapter speaks which provider API (the catalog's {@code api} of a provider). */
public final class ProviderAdapters {

  private ProviderAdapters() {}

  /** The adapter of {@code endpoint}'s API. */
  public static ProviderAdapter forEndpoint(ProviderEndpoint endpoint) {
    return switch (endpoint.api()) {
      case "openai", "azure-openai" -> new OpenAiAdapter(endpoint);
      case "anthropic" -> new AnthropicAdapter(endpoint);
      case "gemini" -> new GeminiAdapter(endpoint);
      default ->
          throw new ConfigException(
              "providers[" + endpoint.name() + "].api: '" + endpoint.api() + "' has no adapter");
    };
  }
}
