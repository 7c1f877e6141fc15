package dev.tollgate.router;

import static dev.tollgate.router.TestRequests.NOW;
import static dev.tollgate.router.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.router.health.DeploymentHealth;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.RoutedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingPolicyTest {

  /** Three deployments of one model: a cheap slow one, a dear fast one, one in the EU. */
  private static final String CATALOG =
      """
      price_version: test
      providers:
        - {name: p1, api: openai, base_url: "http://p1"}
        - {name: p2, api: anthropic, base_url: "http://p2"}
        - {name: p3, api: gemini, base_url: "http://p3"}
      deployments:
        - {id: cheap, provider: p1, model: m, region: us, context_window: 1000, max_output_tokens: 100, price: {input: 100000, output: 400000}}
        - {id: dear, provider: p2, model: m, region: us, context_window: 1000, max_output_tokens: 100, price: {input: 3000000, output: 15000000}}
        - {id: eu, provider: p3, model: m, region: eu, context_window: 1000, max_output_tokens: 100, price: {input: 300000, output: 2500000}}
      routes:
        - {model: ordered, deployments: [dear, cheap, eu]}
        - {model: cheapest, strategy: cheapest, deployments: [dear, eu, cheap]}
        - {model: fastest, strategy: fastest, deployments: [cheap, eu, dear]}
        - {model: balanced, strategy: balanced, cost_weight: 0.5, deployments: [cheap, eu, dear]}
        - {model: weighted, strategy: weighted, weights: {cheap: 0, dear: 1, eu: 0}, deployments: [cheap, eu, dear]}
        - {model: no-openai, deployments: [dear, eu]}
      """;

  @TempDir static Path dir;
  private static ModelCatalog catalog;
  private final Map<String, DeploymentHealth> health = new HashMap<>();

  private RoutingPolicy policy() {
    return new RoutingPolicy(() -> catalog, id -> Optional.ofNullable(health.get(id)));
  }

  @BeforeAll
  static void loadCatalog() throws IOException {
    Path file = Files.writeString(dir.resolve("catalog.yaml"), CATALOG);
    catalog = ModelCatalog.load(Settings.empty().with("catalog.file", file.toString()));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ordered, dear cheap eu",
    "cheapest, cheap eu dear",
    "weighted, dear cheap eu",
  })
  void strategiesWithoutHealthData(String model, String expected) {
    assertThat(plan(model, Map.of())).isEqualTo(List.of(expected.split(" ")));
  }

  @Test
  void fastestRanksByMeasuredLatencyAndTriesUnmeasuredDeploymentsFirst() {
    health.put("cheap", healthy(300));
    health.put("eu", healthy(80));
    assertThat(plan("fastest", Map.of())).containsExactly("dear", "eu", "cheap");

    health.put("dear", healthy(120));
    assertThat(plan("fastest", Map.of())).containsExactly("eu", "dear", "cheap");
  }

  @Test
  void balancedWeighsCostAgainstLatency() {
    health.put("cheap", healthy(1000));
    health.put("eu", healthy(100));
    health.put("dear", healthy(90));
    // cheap: 0.5*cost(0.03) + 0.5*1.0 ; eu: 0.5*0.17 + 0.5*0.1 ; dear: 0.5*1.0 + 0.5*0.09
    assertThat(plan("balanced", Map.of())).containsExactly("eu", "cheap", "dear");
  }

  @Test
  void unhealthyDeploymentsDropOutAndComeBack() {
    health.put("dear", new DeploymentHealth(10, 50, 60, 0.8, false));
    health.put("cheap", new DeploymentHealth(10, 50, 60, 0.0, true));
    assertThat(plan("ordered", Map.of())).containsExactly("eu");

    health.put("dear", new DeploymentHealth(3, 50, 60, 1.0, false)); // too few calls to judge
    assertThat(plan("ordered", Map.of())).containsExactly("dear", "eu");
  }

  @Test
  void noHealthyDeploymentIs503WithTheReasons() {
    health.put("dear", new DeploymentHealth(10, 50, 60, 0.8, false));
    health.put("cheap", new DeploymentHealth(10, 50, 60, 0.0, true));
    health.put("eu", new DeploymentHealth(10, 50, 60, 0.6, false));

    RouteDecision.Rejected rejected =
        (RouteDecision.Rejected) policy().decide(request("r", "t", "ordered").build(), NOW);

    assertThat(rejected.reply().getError().getHttpStatus()).isEqualTo(503);
    assertThat(rejected.reply().getError().getMessage())
        .contains("dear failing 80%", "cheap circuit open", "eu failing 60%");
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tollgate.providers | p1,p3 | cheap eu",
        "tollgate.regions | eu | eu",
        "tollgate.max_price_per_mtok | 2.50 | cheap eu",
      })
  void requestsNarrowTheRoute(String key, String value, String expected) {
    assertThat(plan("ordered", Map.of(key, value))).isEqualTo(List.of(expected.split(" ")));
  }

  @Test
  void aLatencyTargetLeavesSlowDeploymentsOut() {
    health.put("dear", new DeploymentHealth(10, 500, 900, 0.0, false));
    assertThat(plan("ordered", Map.of("tollgate.latency_target_ms", "300")))
        .containsExactly("cheap", "eu");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tollgate.max_price_per_mtok | 0.01 | constraints_unmet",
        "tollgate.providers | nobody | constraints_unmet",
        "tollgate.max_price_per_mtok | cheap | ",
        "tollgate.latency_target_ms | soon | ",
      })
  void unmeetableOrMalformedConstraintsAre400(String key, String value, String code) {
    RouteDecision decision =
        policy().decide(request("r", "t", "ordered").setMetadata(Map.of(key, value)).build(), NOW);

    assertThat(decision).isInstanceOf(RouteDecision.Rejected.class);
    var error = ((RouteDecision.Rejected) decision).reply().getError();
    assertThat(error.getHttpStatus()).isEqualTo(400);
    assertThat(error.getCode()).isEqualTo(code);
    assertThat(error.getMessage()).contains(key);
  }

  @Test
  void cheapestUsesTheOutputCapInItsEstimate() {
    // With no output at all the EU deployment's dearer input still loses to cheap.
    assertThat(plan("cheapest", Map.of())).startsWith("cheap");
    RoutedRequest routed =
        ((RouteDecision.Routed)
                policy()
                    .decide(
                        request("r", "t", "cheapest")
                            .setParams(GenerationParams.newBuilder().setMaxTokens(10).build())
                            .build(),
                        NOW))
            .request();
    assertThat(routed.getRouteReason()).startsWith("cheapest: cheap (est. ");
  }

  @Test
  void refusesWhatCanNeverSucceed() {
    assertThat(status(request("r", "t", "gpt-9").build())).isEqualTo(404);
    assertThat(status(request("r", "t", "ordered").setDeadlineAt(NOW).build())).isEqualTo(504);
    assertThat(status(request("r", "t", "ordered").setMessages(List.of()).build())).isEqualTo(400);
    assertThat(
            status(
                request("r", "t", "ordered")
                    .setMessages(
                        List.of(ChatMessage.newBuilder().setRole("wizard").setContent("x").build()))
                    .build()))
        .isEqualTo(400);
    assertThat(
            status(
                request("r", "t", "ordered")
                    .setParams(GenerationParams.newBuilder().setMaxTokens(0).build())
                    .build()))
        .isEqualTo(400);
  }

  @Test
  void aParameterGoesOnlyToDeploymentsWhoseApiTakesIt() {
    LlmRequest withLogprobs =
        request("r-logprobs", "t", "ordered")
            .setParams(GenerationParams.newBuilder().setLogprobs(true).setTopLogprobs(2).build())
            .build();
    RouteDecision routed = policy().decide(withLogprobs, NOW);
    assertThat(((RouteDecision.Routed) routed).request().getPlan())
        .extracting(DeploymentRef::getDeploymentId)
        .containsExactly("cheap");

    RouteDecision refused =
        policy()
            .decide(
                request("r-seed", "t", "no-openai")
                    .setParams(GenerationParams.newBuilder().setServiceTier("flex").build())
                    .build(),
                NOW);
    ReplyError error = ((RouteDecision.Rejected) refused).reply().getError();
    assertThat(error.getHttpStatus()).isEqualTo(400);
    assertThat(error.getCode()).isEqualTo("unsupported_parameter");
    assertThat(error.getParam()).isEqualTo("service_tier");
    assertThat(error.getMessage())
        .contains("dear (anthropic) takes no service_tier")
        .contains("eu (gemini) takes no service_tier");
  }

  @Test
  void anthropicTakesNoTemperatureAboveOneAndGeminiNoSchemaOutsideItsSubset() {
    RouteDecision refused =
        policy()
            .decide(
                request("r-hot", "t", "no-openai")
                    .setParams(
                        GenerationParams.newBuilder()
                            .setTemperature(1.5)
                            .setToolsJson(
                                "[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                                    + "\"parameters\":{\"type\":\"object\",\"not\":{}}}}]")
                            .build())
                    .build(),
                NOW);
    assertThat(((RouteDecision.Rejected) refused).reply().getError().getMessage())
        .contains("dear (anthropic) takes no temperature (Anthropic's runs from 0 to 1)")
        .contains("eu (gemini) takes no tools (Gemini's schema subset: $.not:");
    RouteDecision warm =
        policy()
            .decide(
                request("r-warm", "t", "no-openai")
                    .setParams(GenerationParams.newBuilder().setTemperature(1.5).build())
                    .build(),
                NOW);
    assertThat(((RouteDecision.Routed) warm).request().getPlan())
        .extracting(DeploymentRef::getDeploymentId)
        .containsExactly("eu");
  }

  private List<String> plan(String model, Map<String, String> metadata) {
    RouteDecision decision =
        policy().decide(request("r-" + model, "t", model).setMetadata(metadata).build(), NOW);
    assertThat(decision).isInstanceOf(RouteDecision.Routed.class);
    return ((RouteDecision.Routed) decision)
        .request().getPlan().stream().map(DeploymentRef::getDeploymentId).toList();
  }

  private int status(LlmRequest request) {
    RouteDecision decision = policy().decide(request, NOW);
    assertThat(decision).isInstanceOf(RouteDecision.Rejected.class);
    return ((RouteDecision.Rejected) decision).reply().getError().getHttpStatus();
  }

  private static DeploymentHealth healthy(long p50) {
    return new DeploymentHealth(20, p50, p50 * 2, 0.0, false);
  }
}
