package dev.tollgate.workers.adapter;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.platform.catalog.ProviderSpec;
import java.util.Map;

/**
 * Where and how a worker calls one provider. The API key is read from the environment variable the
 * catalog names, held only here, and never printed: {@link #toString()} leaves it out.
 */
public final class ProviderEndpoint {

  private final ProviderSpec spec;
  private final String apiKey;

  private ProviderEndpoint(ProviderSpec spec, String apiKey) {
    this.spec = spec;
    this.apiKey = apiKey;
  }

  /**
   * The endpoint of {@code spec}, with its key from {@code env}; {@code fallbackKey} stands in when
   * the variable is unset (local mode against the mock), else a missing key stops the worker with a
   * message naming the variable.
   */
  public static ProviderEndpoint of(
      ProviderSpec spec, Map<String, String> env, String fallbackKey) {
    String key = spec.apiKeyEnv() == null ? null : env.get(spec.apiKeyEnv());
    if (key == null || key.isBlank()) {
      if (fallbackKey == null) {
        throw new ConfigException(
            "providers["
                + spec.name()
                + "]: environment variable "
                + spec.apiKeyEnv()
                + " is not set");
      }
      key = fallbackKey;
    }
    return new ProviderEndpoint(spec, key);
  }

  public String name() {
    return spec.name();
  }

  public String api() {
    return spec.api();
  }

  /** Azure OpenAI's {@code api-version}; null for the other APIs. */
  public String apiVersion() {
    return spec.apiVersion();
  }

  public String baseUrl() {
    return spec.baseUrl().endsWith("/")
        ? spec.baseUrl().substring(0, spec.baseUrl().length() - 1)
        : spec.baseUrl();
  }

  String apiKey() {
    return apiKey;
  }

  @Override
  public String toString() {
    return "ProviderEndpoint[" + spec.name() + " " + spec.api() + " " + baseUrl() + "]";
  }
}
