package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The catalog file as written; {@link ModelCatalog} validates it. */
record CatalogFile(
    @JsonProperty(value = "price_version", required = true) String priceVersion,
    @JsonProperty(value = "providers", required = true) List<ProviderSpec> providers,
    @JsonProperty(value = "deployments", required = true) List<Deployment> deployments,
    @JsonProperty(value = "routes", required = true) List<Route> routes) {}
