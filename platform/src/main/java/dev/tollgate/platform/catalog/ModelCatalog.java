package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Providers, deployments, their prices and the routes from model names to deployments, loaded from
 * one YAML file ({@code catalog.file}, else the bundled {@code tollgate-catalog.yaml}) and
 * validated at load: a reference to an unknown provider or deployment stops the service with a
 * message naming it. A provider's base URL can be overridden with {@code providers.<name>.base-url}
 * (local mode points every provider at the mock).
 */
public final class ModelCatalog {

  static final String BUNDLED = "tollgate-catalog.yaml";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The APIs whose adapters call an embeddings endpoint: OpenAI's (and OpenAI-compatible servers').
   */
  public static final List<String> EMBEDDING_APIS = List.of("openai", "azure-openai");

  private final String priceVersion;
  private final Map<String, ProviderSpec> providers;
  private final Map<String, Deployment> deployments;
  private final Map<String, Route> routes;

  private ModelCatalog(CatalogFile file, Settings settings) {
    this.priceVersion = file.priceVersion();
    this.providers = new LinkedHashMap<>();
    for (ProviderSpec p : file.providers()) {
      String url = settings.string("providers." + p.name() + ".base-url", p.baseUrl());
      putUnique(providers, p.name(), p.withBaseUrl(url), "providers");
    }
    this.deployments = new LinkedHashMap<>();
    for (Deployment d : file.deployments()) {
      if (!providers.containsKey(d.provider())) {
        throw new ConfigException(
            "deployments[" + d.id() + "].provider: unknown provider '" + d.provider() + "'");
      }
      if (d.maxOutputTokens() <= 0 || d.contextWindow() <= 0) {
        throw new ConfigException("deployments[" + d.id() + "]: token limits must be positive");
      }
      if (d.outputCapParam() != null
          && !List.of("max_tokens", "max_completion_tokens").contains(d.outputCapParam())) {
        throw new ConfigException(
            "deployments["
                + d.id()
                + "].output_cap_param: max_tokens or max_completion_tokens, not '"
                + d.outputCapParam()
                + "'");
      }
      if (!List.of(Deployment.CHAT, Deployment.EMBEDDINGS).contains(d.kind())) {
        throw new ConfigException(
            "deployments[" + d.id() + "].kind: chat or embeddings, not '" + d.kind() + "'");
      }
      if (d.servesEmbeddings() && !EMBEDDING_APIS.contains(providers.get(d.provider()).api())) {
        throw new ConfigException(
            "deployments["
                + d.id()
                + "].kind: embeddings are served on the "
                + EMBEDDING_APIS
                + " APIs, not '"
                + providers.get(d.provider()).api()
                + "'");
      }
      for (String param : d.unsupportedParams()) {
        if (!ApiParameters.NAMES.contains(param)) {
          throw new ConfigException(
              "deployments["
                  + d.id()
                  + "].unsupported_params: '"
                  + param
                  + "' is not one of "
                  + ApiParameters.NAMES);
        }
      }
      putUnique(deployments, d.id(), d, "deployments");
    }
    this.routes = new LinkedHashMap<>();
    for (Route r : file.routes()) {
      checkRoute(r);
      putUnique(routes, r.model(), r, "routes");
    }
  }

  private ModelCatalog(ModelCatalog base, Map<String, Route> routes) {
    this.priceVersion = base.priceVersion;
    this.providers = base.providers;
    this.deployments = base.deployments;
    this.routes = routes;
  }

  /**
   * This catalog with {@code overrides} in place of (or beside) its own routes: the routes set at
   * run time on {@code gateway-config}. Providers and deployments (and the keys behind them) stay
   * the file's.
   *
   * @throws ConfigException naming the field, when an override names an unknown deployment
   */
  public ModelCatalog withRoutes(Collection<Route> overrides) {
    Map<String, Route> merged = new LinkedHashMap<>(routes);
    for (Route r : overrides) {
      checkRoute(r);
      merged.put(r.model(), r);
    }
    return new ModelCatalog(this, merged);
  }

  /** Checks {@code route} against this catalog's deployments. */
  public void checkRoute(Route route) {
    if (route.model() == null || route.model().isBlank()) {
      throw new ConfigException("routes[].model: required");
    }
    if (route.deployments().isEmpty()) {
      throw new ConfigException("routes[" + route.model() + "].deployments: must not be empty");
    }
    for (String id : route.deployments()) {
      if (!deployments.containsKey(id)) {
        throw new ConfigException(
            "routes[" + route.model() + "].deployments: unknown deployment '" + id + "'");
      }
    }
  }

  /** Loads the catalog named by {@code catalog.file}, or the bundled one. */
  public static ModelCatalog load(Settings settings) {
    Optional<String> file = settings.find("catalog.file");
    try (InputStream in =
        file.isPresent()
            ? Files.newInputStream(Path.of(file.get()))
            : ModelCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new ConfigException("catalog.file: bundled " + BUNDLED + " missing from classpath");
      }
      return new ModelCatalog(YAML.readValue(in, CatalogFile.class), settings);
    } catch (IOException e) {
      throw new ConfigException("catalog.file " + file.orElse(BUNDLED) + ": " + e.getMessage(), e);
    }
  }

  public String priceVersion() {
    return priceVersion;
  }

  public Collection<ProviderSpec> providers() {
    return providers.values();
  }

  public Optional<ProviderSpec> provider(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  public Optional<Deployment> deployment(String id) {
    return Optional.ofNullable(deployments.get(id));
  }

  public Collection<Deployment> deployments() {
    return deployments.values();
  }

  /** The route for a model name or alias. */
  public Optional<Route> route(String model) {
    return Optional.ofNullable(routes.get(model));
  }

  /** Every model name and alias clients may ask for, in catalog order. */
  public List<String> models() {
    return new ArrayList<>(routes.keySet());
  }

  /** The deployments a route lists, in its order. */
  public List<Deployment> candidates(Route route) {
    return route.deployments().stream().map(deployments::get).toList();
  }

  private static <T> void putUnique(Map<String, T> map, String key, T value, String section) {
    if (key == null || key.isBlank()) {
      throw new ConfigException(section + ": an entry has no name");
    }
    if (map.putIfAbsent(key, value) != null) {
      throw new ConfigException(section + "[" + key + "]: defined twice");
    }
  }
}
