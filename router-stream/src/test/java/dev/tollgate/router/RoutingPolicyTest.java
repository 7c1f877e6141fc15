package dev.tollgate.router;

import static dev.tollgate.router.TestRequests.NOW;
import static dev.tollgate.router.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.config.Settings;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.RoutedRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {

  private final RoutingPolicy policy = new RoutingPolicy(ModelCatalog.load(Settings.empty()));

  @Test
  void routesToTheFirstDeploymentWithTheRestAsFallbacks() {
    RouteDecision decision = policy.decide(request("r1", "t", "cheap-chat").build(), NOW);

    assertThat(decision).isInstanceOf(RouteDecision.Routed.class);
    RouteDecision.Routed routed = (RouteDecision.Routed) decision;
    RoutedRequest plan = routed.request();
    assertThat(routed.provider()).isEqualTo("openai");
    assertThat(plan.getPlan())
        .extracting(DeploymentRef::getDeploymentId)
        .containsExactly("openai-gpt-4.1-nano", "gemini-2.0-flash", "openai-gpt-4o-mini");
    assertThat(plan.getStep()).isZero();
    assertThat(plan.getRouteReason()).isEqualTo("ordered: openai-gpt-4.1-nano first of 3");
    assertThat(plan.getRoutedAt()).isEqualTo(NOW);
  }

  @Test
  void refusesWhatCanNeverSucceed() {
    assertThat(status(request("r", "t", "gpt-9").build())).isEqualTo(404);
    assertThat(status(request("r", "t", "gpt-4o-mini").setDeadlineAt(NOW).build())).isEqualTo(504);
    assertThat(status(request("r", "t", "gpt-4o-mini").setMessages(List.of()).build()))
        .isEqualTo(400);
    assertThat(
            status(
                request("r", "t", "gpt-4o-mini")
                    .setMessages(
                        List.of(ChatMessage.newBuilder().setRole("wizard").setContent("x").build()))
                    .build()))
        .isEqualTo(400);
    assertThat(
            status(
                request("r", "t", "gpt-4o-mini")
                    .setParams(GenerationParams.newBuilder().setMaxTokens(0).build())
                    .build()))
        .isEqualTo(400);
  }

  @Test
  void unknownModelErrorListsTheModels() {
    RouteDecision.Rejected rejected =
        (RouteDecision.Rejected) policy.decide(request("r", "t", "gpt-9").build(), NOW);

    assertThat(rejected.reply().getError().getCode()).isEqualTo("model_not_found");
    assertThat(rejected.reply().getError().getMessage()).contains("gpt-4o-mini", "cheap-chat");
    assertThat(rejected.reply().getRequestId()).isEqualTo("r");
  }

  private int status(dev.tollgate.schemas.LlmRequest request) {
    RouteDecision decision = policy.decide(request, NOW);
    assertThat(decision).isInstanceOf(RouteDecision.Rejected.class);
    return ((RouteDecision.Rejected) decision).reply().getError().getHttpStatus();
  }
}
