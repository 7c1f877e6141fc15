package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a model name or alias asked for by clients maps to: candidate deployments, in priority
 * order, and how to choose between them.
 */
public record Route(
    @JsonProperty(value = "model", required = true) String model,
    @JsonProperty("strategy") String strategy,
    @JsonProperty(value = "deployments", required = true) List<String> deployments) {

  public Route {
    strategy = strategy == null ? "ordered" : strategy;
    deployments = List.copyOf(deployments);
  }
}
