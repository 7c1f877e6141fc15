package dev.tollgate.router;

import static dev.tollgate.router.TestRequests.NOW;
import static dev.tollgate.router.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.config.Settings;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.governance.ConfigEntity;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.BudgetReservation;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RouteConfig;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys, model access, rate limits, budgets and run-time routes, through the router topology. */
class GovernanceTopologyTest {

  private final GatewayConfigView config = TestRequests.config(ModelCatalog.load(Settings.empty()));
  private RouterHarness router;
  private TestInputTopic<String, LlmRequest> requests;
  private TestInputTopic<String, UsageEvent> usage;
  private TestInputTopic<String, byte[]> rawConfig;
  private TestOutputTopic<String, RoutedRequest> openai;
  private TestOutputTopic<String, RoutedRequest> anthropic;
  private TestOutputTopic<String, LlmReply> replies;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private int sequence;

  @BeforeEach
  void setUp() {
    router = new RouterHarness(config, id -> Optional.empty(), TestRequests.checks(), NOW);
    requests = router.input(router.topics.requests());
    usage = router.input(router.topics.usageEvents());
    rawConfig = router.rawInput(router.topics.gatewayConfig());
    openai = router.output(router.topics.providerRequests("openai"));
    anthropic = router.output(router.topics.providerRequests("anthropic"));
    replies = router.defaultReplies("team-a");
    deadLetters = router.output(router.topics.deadLetters());
  }

  @AfterEach
  void tearDown() {
    router.close();
  }

  private LlmRequest chat(String model) {
    return request("q" + sequence++, "team-a", model)
        .setParams(GenerationParams.newBuilder().setMaxTokens(100).build())
        .build();
  }

  private void send(LlmRequest request) {
    requests.pipeInput(TestRequests.signed("team-a", request));
  }

  private void put(Object entity) {
    GatewayConfigEntry entry = new GatewayConfigEntry(entity, NOW, "test");
    config.apply(ConfigEntity.of(entry), entry);
  }

  private static TeamConfig.Builder team() {
    return TeamConfig.newBuilder().setTeamId("team-a").setLimits(new Limits(null, null));
  }

  @Test
  void requestsWithoutAValidKeyAreAnsweredWith401OnTheRecordKeysTeamsTopicsOnly() {
    requests.pipeInput(new TestRecord<>("team-a", chat("gpt-4o-mini")));
    requests.pipeInput(TestRequests.withKey("team-a", "not-a-key", chat("gpt-4o-mini")));
    requests.pipeInput(
        TestRequests.withKey(
            "team-a",
            "not-a-key",
            request("elsewhere", "team-a", "gpt-4o-mini")
                .setReplyTo("llm-replies-team-b-jobs")
                .build()));
    requests.pipeInput(new TestRecord<>(null, chat("gpt-4o-mini")));

    List<LlmReply> answered = replies.readValuesToList();
    assertThat(answered).hasSize(2);
    for (LlmReply reply : answered) {
      assertThat(reply.getError().getHttpStatus()).isEqualTo(401);
      assertThat(reply.getError().getMessage()).doesNotContain("not-a-key");
    }
    assertThat(openai.isEmpty()).isTrue();
    List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
    assertThat(letters)
        .extracting(l -> l.value().getReason())
        .satisfiesExactly(
            r ->
                assertThat(r).startsWith("401 invalid_api_key: reply_to 'llm-replies-team-b-jobs'"),
            r -> assertThat(r).isEqualTo("401 invalid_api_key: no record key"));
    for (TestRecord<String, DeadLetter> letter : letters) {
      assertThat(letter.value().toString()).doesNotContain("not-a-key");
      assertThat(letter.headers().toArray()).isEmpty();
    }
  }

  @Test
  void theKeyDecidesTheTeamAndARevokedKeyStopsAtOnce() {
    String secret = "tg-runtime-secret";
    KeyConfig key =
        KeyConfig.newBuilder()
            .setKeyId("k-run")
            .setTeamId("team-a")
            .setSecretSha256(KeyHash.sha256(secret))
            .setLimits(new Limits(null, null))
            .setCreatedAt(NOW)
            .build();
    put(key);
    requests.pipeInput(
        TestRequests.withKey(
            "team-a", secret, request("k1", "someone-else", "gpt-4o-mini").build()));
    RoutedRequest routed = openai.readValue();
    assertThat(routed.getRequest().getTeamId()).isEqualTo("team-a");
    assertThat(routed.getRequest().getKeyId()).isEqualTo("k-run");

    put(KeyConfig.newBuilder(key).setExpiresAt(NOW).build());
    requests.pipeInput(TestRequests.withKey("team-a", secret, chat("gpt-4o-mini")));
    assertThat(replies.readValue().getError().getHttpStatus()).isEqualTo(401);
  }

  @Test
  void aRecordKeyedByAnotherTeamIsRefused() {
    requests.pipeInput(TestRequests.withKey("team-b", TestRequests.secret("team-a"), chat("fast")));

    assertThat(replies.readValue().getError().getCode()).isEqualTo("wrong_record_key");
    assertThat(deadLetters.readValue().getReason()).contains("keyed by their team id");
  }

  @Test
  void modelsOutsideTheTeamsListAreForbidden() {
    put(team().setAllowedModels(List.of("gpt-4o-mini")).build());

    send(chat("gpt-4o-mini"));
    send(chat("claude-3-5-haiku"));

    assertThat(openai.getQueueSize()).isEqualTo(1);
    LlmReply refused = replies.readValue();
    assertThat(refused.getError().getHttpStatus()).isEqualTo(403);
    assertThat(refused.getError().getCode()).isEqualTo("model_not_allowed");
  }

  @Test
  void overTheRateLimitIsA429WithRetryAfterAndOpenAiHeaders() {
    put(team().setLimits(new Limits(2L, null)).build());

    send(chat("gpt-4o-mini"));
    send(chat("gpt-4o-mini"));
    send(chat("gpt-4o-mini"));

    assertThat(openai.getQueueSize()).isEqualTo(2);
    LlmReply limited = replies.readValue();
    assertThat(limited.getError().getHttpStatus()).isEqualTo(429);
    assertThat(limited.getError().getCode()).isEqualTo("rate_limit_exceeded");
    assertThat(limited.getError().getRetryAfterMs()).isEqualTo(30_000);
    assertThat(limited.getError().getHeaders())
        .containsEntry("x-ratelimit-limit-requests", "2")
        .containsEntry("x-ratelimit-remaining-requests", "0");
  }

  @Test
  void theBudgetHoldsWorstCasesAndSettlesToTheActualCost() {
    put(
        team()
            .setBudgets(List.of(new Budget(BudgetPeriod.DAY, 1_000_000_000L, List.of())))
            .build());
    LlmRequest first = chat("gpt-4o-mini");
    send(first);
    long worstCase = reservation(first.getRequestId()).getAmountMicros();
    assertThat(worstCase).isPositive();
    // Room for this one and one more worst case, not two.
    put(
        team()
            .setBudgets(List.of(new Budget(BudgetPeriod.DAY, worstCase * 5 / 2, List.of())))
            .build());

    send(chat("gpt-4o-mini"));
    LlmRequest third = chat("gpt-4o-mini");
    send(third);

    assertThat(openai.getQueueSize()).isEqualTo(2);
    LlmReply refused = replies.readValue();
    assertThat(refused.getError().getHttpStatus()).isEqualTo(429);
    assertThat(refused.getError().getCode()).isEqualTo("budget_exceeded");
    assertThat(refused.getError().getMessage()).contains("team:team-a", "daily cap");
    assertThat(reservation(third.getRequestId())).isNull();

    // The first one cost 1 micro-USD, not its worst case: room again.
    usage.pipeInput("team-a", billed(first, 1));
    assertThat(reservation(first.getRequestId())).isNull();
    send(chat("gpt-4o-mini"));
    assertThat(openai.getQueueSize()).isEqualTo(3);
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void aFailedRequestReleasesItsReservation() {
    put(team().setBudgets(List.of(new Budget(BudgetPeriod.TOTAL, 1_000_000L, List.of()))).build());
    LlmRequest request = chat("gpt-4o-mini");
    send(request);
    assertThat(reservation(request.getRequestId())).isNotNull();

    UsageEvent ended =
        UsageEvent.newBuilder(billed(request, 0))
            .setCallId("end-" + request.getRequestId())
            .setKind(UsageKind.REQUEST_FAILED)
            .build();
    usage.pipeInput("team-a", ended);

    assertThat(reservation(request.getRequestId())).isNull();
  }

  @Test
  void routesChangeAtRunTimeAndFallBackToTheFileWhenDeleted() {
    RouteConfig onlyAnthropic =
        RouteConfig.newBuilder()
            .setModel("fast")
            .setStrategy("ordered")
            .setDeployments(List.of("anthropic-claude-3-5-haiku"))
            .build();
    put(onlyAnthropic);
    send(chat("fast"));
    assertThat(anthropic.readValue().getPlan()).hasSize(1);

    config.apply(ConfigEntity.route("fast"), null);
    send(chat("fast"));
    List<RoutedRequest> routed = new java.util.ArrayList<>(openai.readValuesToList());
    routed.addAll(anthropic.readValuesToList());
    routed.addAll(router.output(router.topics.providerRequests("gemini")).readValuesToList());
    assertThat(routed).singleElement().satisfies(r -> assertThat(r.getPlan()).hasSize(3));
  }

  @Test
  void invalidConfigRecordsAreDeadLetteredAndIgnored() {
    RouteConfig broken =
        RouteConfig.newBuilder()
            .setModel("fast")
            .setDeployments(List.of("no-such-deployment"))
            .build();
    GatewayConfigEntry entry = new GatewayConfigEntry(broken, NOW, "someone");
    byte[] bytes =
        router
            .serdes
            .of(GatewayConfigEntry.class)
            .serializer()
            .serialize(router.topics.gatewayConfig().name(), entry);
    rawConfig.pipeInput("route:fast", bytes);
    rawConfig.pipeInput("team:x", "garbage".getBytes(StandardCharsets.UTF_8));
    config.apply("route:fast", entry);

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters).hasSize(2);
    assertThat(letters.get(0).getReason()).contains("unknown deployment 'no-such-deployment'");
    assertThat(letters.get(1).getReason()).contains("undecodable");
    assertThat(config.rejectedEntries()).isEqualTo(1);
    assertThat(config.catalog().route("fast").orElseThrow().deployments())
        .doesNotContain("no-such-deployment");
  }

  private BudgetReservation reservation(String requestId) {
    KeyValueStore<String, BudgetReservation> store =
        router.driver.getKeyValueStore(RouterStores.BUDGET_RESERVATIONS);
    return store.get(requestId);
  }

  private static UsageEvent billed(LlmRequest request, long costMicros) {
    return UsageEvent.newBuilder()
        .setCallId("call-" + request.getRequestId())
        .setRequestId(request.getRequestId())
        .setTeamId("team-a")
        .setKeyId("team-a-key")
        .setKind(UsageKind.BILLED)
        .setModel(request.getModel())
        .setProvider("openai")
        .setDeploymentId("gpt-4o-mini")
        .setProviderModel("gpt-4o-mini")
        .setUsage(TokenUsage.newBuilder().build())
        .setCostMicros(costMicros)
        .setPriceVersion("test")
        .setOccurredAt(NOW)
        .build();
  }
}
