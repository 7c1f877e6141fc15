package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.schemas.DeploymentRef;
import java.util.List;

/**
 * One place a model is served: a provider, the provider's name for the model, a region, its limits,
 * its price, and its kind: a chat model ({@value #CHAT}, the default) or an embeddings model
 * ({@value #EMBEDDINGS}, priced per input token).
 */
public record Deployment(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "provider", required = true) String provider,
    @JsonProperty(value = "model", required = true) String model,
    @JsonProperty("region") String region,
    @JsonProperty(value = "context_window", required = true) int contextWindow,
    @JsonProperty(value = "max_output_tokens", required = true) int maxOutputTokens,
    @JsonProperty(value = "price", required = true) Price price,
    @JsonProperty("output_cap_param") String outputCapParam,
    @JsonProperty("unsupported_params") List<String> unsupportedParams,
    @JsonProperty("kind") String kind) {

  public static final String CHAT = "chat";
  public static final String EMBEDDINGS = "embeddings";

  public Deployment {
    unsupportedParams = unsupportedParams == null ? List.of() : List.copyOf(unsupportedParams);
    kind = kind == null ? CHAT : kind;
  }

  public boolean servesEmbeddings() {
    return EMBEDDINGS.equals(kind);
  }

  /** The reference carried in a route plan. */
  public DeploymentRef ref() {
    return DeploymentRef.newBuilder()
        .setDeploymentId(id)
        .setProvider(provider)
        .setProviderModel(model)
        .setRegion(region)
        .setOutputCapParam(outputCapParam)
        .build();
  }
}
