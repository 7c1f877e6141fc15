package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.core.config.ConfigException;
import java.util.Set;

/**
 * A provider account Tollgate can call.
 *
 * @param name the provider's name in topics and routes, e.g. {@code openai}
 * @param api the wire format its API speaks: {@code openai} (and OpenAI-compatible servers), {@code
 *     azure-openai}, {@code anthropic} or {@code gemini}
 * @param baseUrl where its API lives
 * @param apiKeyEnv the environment variable holding its API key (the key itself never appears in
 *     config, topics or logs)
 * @param apiVersion the {@code api-version} Azure OpenAI requires; unused by the others
 */
public record ProviderSpec(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "api", required = true) String api,
    @JsonProperty(value = "base_url", required = true) String baseUrl,
    @JsonProperty("api_key_env") String apiKeyEnv,
    @JsonProperty("api_version") String apiVersion) {

  static final Set<String> APIS = Set.of("openai", "azure-openai", "anthropic", "gemini");

  public ProviderSpec {
    if (!APIS.contains(api)) {
      throw new ConfigException(
          "providers[" + name + "].api: must be one of " + APIS + ", got '" + api + "'");
    }
    if ("azure-openai".equals(api) && (apiVersion == null || apiVersion.isBlank())) {
      throw new ConfigException("providers[" + name + "].api_version: required for azure-openai");
    }
  }

  public ProviderSpec withBaseUrl(String url) {
    return new ProviderSpec(name, api, url, apiKeyEnv, apiVersion);
  }
}
