package dev.tollgate.platform.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {

  @TempDir Path dir;

  @Test
  void bundledCatalogLoads() {
    ModelCatalog catalog = ModelCatalog.load(Settings.empty());

    assertThat(catalog.models()).contains("gpt-4o-mini", "cheap-chat");
    Route cheap = catalog.route("cheap-chat").orElseThrow();
    assertThat(catalog.candidates(cheap))
        .extracting(Deployment::id)
        .containsExactly("openai-gpt-4.1-nano", "gemini-2.0-flash", "openai-gpt-4o-mini");
    assertThat(catalog.deployment("openai-gpt-4o-mini").orElseThrow().price())
        .isEqualTo(new Price(150_000, 75_000, 150_000, 150_000, 600_000));
  }

  @Test
  void theReasoningModelTakesItsCapAsMaxCompletionTokensAndNoSampling() {
    Deployment o4 = ModelCatalog.load(Settings.empty()).deployment("openai-o4-mini").orElseThrow();
    assertThat(o4.ref().getOutputCapParam()).isEqualTo("max_completion_tokens");
    assertThat(o4.unsupportedParams()).contains("temperature", "logprobs");
  }

  @Test
  void baseUrlCanBeOverridden() {
    Settings settings =
        Settings.of("", Map.of("TOLLGATE_PROVIDERS_OPENAI_BASE_URL", "http://mock/openai/v1"));

    assertThat(ModelCatalog.load(settings).provider("openai").orElseThrow().baseUrl())
        .isEqualTo("http://mock/openai/v1");
  }

  @Test
  void unknownReferencesAreNamed() throws IOException {
    assertThatThrownBy(
            () ->
                load(
                    """
        price_version: v1
        providers: [{name: p, api: openai, base_url: "http://x"}]
        deployments:
          - {id: d, provider: q, model: m, context_window: 10, max_output_tokens: 5, price: {input: 1, output: 2}}
        routes: []
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("deployments[d].provider: unknown provider 'q'");

    assertThatThrownBy(
            () ->
                load(
                    """
        price_version: v1
        providers: [{name: p, api: openai, base_url: "http://x"}]
        deployments: []
        routes: [{model: m, deployments: [nowhere]}]
        """))
        .hasMessageContaining("routes[m].deployments: unknown deployment 'nowhere'");

    assertThatThrownBy(
            () ->
                load(
                    """
        price_version: v1
        providers: [{name: p, api: smoke-signals, base_url: "http://x"}]
        deployments: []
        routes: []
        """))
        .hasMessageContaining("providers[p].api");
  }

  @Test
  void negativeOrMissingPricesAreRefused() throws IOException {
    assertThatThrownBy(
            () ->
                load(
                    """
        price_version: v1
        providers: [{name: p, api: openai, base_url: "http://x"}]
        deployments:
          - {id: d, provider: p, model: m, context_window: 10, max_output_tokens: 5, price: {input: -1, output: 2}}
        routes: []
        """))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(
            () ->
                load(
                    """
        price_version: v1
        providers: [{name: p, api: openai, base_url: "http://x"}]
        deployments:
          - {id: d, provider: p, model: m, context_window: 10, max_output_tokens: 5, price: {input: 1}}
        routes: []
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("output");
  }

  private ModelCatalog load(String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("catalog.yaml"), yaml);
    return ModelCatalog.load(Settings.empty().with("catalog.file", file.toString()));
  }
}
