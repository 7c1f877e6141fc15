package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.core.config.ConfigException;
import java.util.List;
import java.util.Map;

/**
 * What a model name or alias asked for by clients maps to: candidate deployments (in priority
 * order, which is also the tie-breaker), and how to choose between them.
 *
 * @param model the name clients ask for
 * @param strategy how to choose (default {@code ordered})
 * @param deployments candidate deployment ids
 * @param weights per deployment, for {@code weighted} (default 1 each)
 * @param costWeight for {@code balanced}: the weight of normalised cost against latency (0.5)
 * @param defaultMaxTokens the output cap assumed (and sent) when a request sets none; null means
 *     the deployment's own maximum
 * @param cacheTtlSeconds how long cacheable replies are kept (3600); 0 turns the cache off
 */
public record Route(
    @JsonProperty(value = "model", required = true) String model,
    @JsonProperty("strategy") Strategy strategy,
    @JsonProperty(value = "deployments", required = true) List<String> deployments,
    @JsonProperty("weights") Map<String, Integer> weights,
    @JsonProperty("cost_weight") Double costWeight,
    @JsonProperty("default_max_tokens") Integer defaultMaxTokens,
    @JsonProperty("cache_ttl_s") Integer cacheTtlSeconds) {

  public Route {
    strategy = strategy == null ? Strategy.ORDERED : strategy;
    deployments = List.copyOf(deployments);
    weights = weights == null ? Map.of() : Map.copyOf(weights);
    costWeight = costWeight == null ? 0.5 : costWeight;
    if (costWeight < 0 || costWeight > 1) {
      throw new ConfigException("routes[" + model + "].cost_weight: must be between 0 and 1");
    }
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      if (!deployments.contains(w.getKey()) || w.getValue() < 0) {
        throw new ConfigException(
            "routes["
                + model
                + "].weights."
                + w.getKey()
                + ": must name one of the route's deployments, weight >= 0");
      }
    }
    cacheTtlSeconds = cacheTtlSeconds == null ? 3600 : cacheTtlSeconds;
    if (cacheTtlSeconds < 0) {
      throw new ConfigException("routes[" + model + "].cache_ttl_s: must not be negative");
    }
    if (defaultMaxTokens != null && defaultMaxTokens < 1) {
      throw new ConfigException("routes[" + model + "].default_max_tokens: must be at least 1");
    }
  }

  public int weight(String deployment) {
    return weights.getOrDefault(deployment, 1);
  }
}
