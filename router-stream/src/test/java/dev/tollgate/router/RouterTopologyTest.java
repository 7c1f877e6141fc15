package dev.tollgate.router;

import static dev.tollgate.router.TestRequests.NOW;
import static dev.tollgate.router.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.router.health.DeploymentHealth;
import dev.tollgate.schemas.CachedReply;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Priority;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.Topics;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouterTopologyTest {

  private final Map<String, DeploymentHealth> healthById = new HashMap<>();
  private RouterHarness router;
  private TestInputTopic<String, LlmRequest> requests;
  private TestInputTopic<String, byte[]> rawRequests;
  private TestOutputTopic<String, RoutedRequest> openai;
  private TestOutputTopic<String, LlmReply> replies;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void setUp() {
    router =
        new RouterHarness(
            TestRequests.config(ModelCatalog.load(Settings.empty())),
            id -> Optional.ofNullable(healthById.get(id)),
            TestRequests.checks(),
            NOW);
    requests = router.input(router.topics.requests());
    rawRequests = router.rawInput(router.topics.requests());
    openai = router.output(router.topics.providerRequests("openai"));
    replies = router.defaultReplies("team-a");
    deadLetters = router.output(router.topics.deadLetters());
  }

  private void send(String team, LlmRequest request) {
    requests.pipeInput(TestRequests.signed(team, request));
  }

  @AfterEach
  void tearDown() {
    router.close();
  }

  @Test
  void routesKnownModelsToTheProviderTopicKeyedByRequestId() {
    send("team-a", request("r1", "team-a", "gpt-4o-mini").build());

    TestRecord<String, RoutedRequest> routed = openai.readRecord();
    assertThat(routed.key()).isEqualTo("r1");
    assertThat(routed.value().getRequest().getTeamId()).isEqualTo("team-a");
    assertThat(routed.value().getPlan().get(0).getProviderModel()).isEqualTo("gpt-4o-mini");
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void routesBulkRequestsFromTheBulkTopicToTheProvidersBulkLane() {
    TestInputTopic<String, LlmRequest> bulk = router.input(router.topics.bulkRequests());
    TestOutputTopic<String, RoutedRequest> openaiBulk =
        router.output(router.topics.providerBulkRequests("openai"));

    bulk.pipeInput(
        TestRequests.signed(
            "team-a", request("b1", "team-a", "gpt-4o-mini").setPriority(Priority.BULK).build()));

    assertThat(openaiBulk.readRecord().key()).isEqualTo("b1");
    assertThat(openai.isEmpty()).isTrue();
  }

  @Test
  void answersUnknownModelsOnTheRequestsOwnReplyTopic() {
    TestOutputTopic<String, LlmReply> own =
        router.output(Topics.replyTopic("llm-replies-team-a-jobs"));

    send("team-a", request("r2", "team-a", "gpt-9").setReplyTo("llm-replies-team-a-jobs").build());
    send("team-a", request("r3", "team-a", "gpt-9").build());

    TestRecord<String, LlmReply> reply = own.readRecord();
    assertThat(reply.key()).isEqualTo("r2");
    assertThat(reply.value().getError().getHttpStatus()).isEqualTo(404);
    assertThat(replies.readRecord().key()).isEqualTo("r3");
    assertThat(openai.isEmpty()).isTrue();
  }

  @Test
  void expiredRequestsAreAnsweredWithATimeout() {
    router.driver.advanceWallClockTime(Duration.ofMinutes(5));

    send("team-a", request("r4", "team-a", "gpt-4o-mini").build());

    assertThat(replies.readValue().getError().getCode()).isEqualTo("deadline_exceeded");
    assertThat(openai.isEmpty()).isTrue();
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndTheRouterKeepsGoing() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
    headers.add("tollgate-api-key", "tg-secret".getBytes(StandardCharsets.UTF_8));
    rawRequests.pipeInput(
        new TestRecord<>("team-a", "not avro".getBytes(StandardCharsets.UTF_8), headers));
    send("team-a", request("r5", "team-a", "gpt-4o-mini").build());

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).startsWith("undecodable:");
    assertThat(letter.getSourceTopic()).isEqualTo("llm-requests");
    assertThat(letter.getSourceOffset()).isZero();
    assertThat(letter.getFailedBy()).isEqualTo("router");
    assertThat(StandardCharsets.UTF_8.decode(letter.getPayload()).toString()).isEqualTo("not avro");
    assertThat(letter.getHeaders())
        .containsEntry("trace-id", "t-1")
        .doesNotContainKey("tollgate-api-key");
    assertThat(openai.readKeyValue().key).isEqualTo("r5");
  }

  @Test
  void healthUpdatesChangeTheChoice() {
    TestOutputTopic<String, RoutedRequest> gemini =
        router.output(router.topics.providerRequests("gemini"));

    // "fast" is ordered gemini-2.0-flash, openai-gpt-4o-mini, anthropic-claude-3-5-haiku.
    send("team-a", request("h1", "team-a", "fast").build());
    assertThat(gemini.readValue().getPlan().get(0).getDeploymentId()).isEqualTo("gemini-2.0-flash");

    healthById.put("gemini-2.0-flash", new DeploymentHealth(20, 900, 2000, 0.9, false));
    send("team-a", request("h2", "team-a", "fast").build());
    RoutedRequest moved = openai.readValue();
    assertThat(moved.getPlan())
        .extracting(p -> p.getDeploymentId())
        .containsExactly("openai-gpt-4o-mini", "anthropic-claude-3-5-haiku");
    assertThat(moved.getRouteReason())
        .contains("skipped gemini-2.0-flash failing 90% of recent calls");

    healthById.remove("gemini-2.0-flash");
    send("team-a", request("h3", "team-a", "fast").build());
    assertThat(gemini.readValue().getRequest().getRequestId()).isEqualTo("h3");
  }

  @Test
  void deterministicRequestsAreAnsweredFromTheirTeamsCache() {
    TestOutputTopic<String, UsageEvent> usage = router.output(router.topics.usageEvents());
    TestInputTopic<String, CachedReply> cache = router.input(router.topics.responseCache());
    LlmRequest first = deterministic("c1", "team-a").build();
    send("team-a", first);
    RoutedRequest routed = openai.readValue();
    assertThat(routed.getCacheKey()).isNotNull();
    assertThat(routed.getCacheTtlS()).isEqualTo(3600);

    // The worker that served it publishes the reply under the key.
    cache.pipeInput("team-a", cached(routed.getCacheKey(), "team-a", NOW.plusSeconds(3600)));
    send("team-a", deterministic("c2", "team-a").build());

    LlmReply hit = replies.readValue();
    assertThat(hit.getRequestId()).isEqualTo("c2");
    assertThat(hit.getCacheHit()).isTrue();
    assertThat(hit.getCostMicros()).isZero();
    assertThat(hit.getCompletion().getChoices().get(0).getMessage().getContent())
        .isEqualTo("cached answer");
    assertThat(usage.readValue().getKind()).isEqualTo(UsageKind.CACHE_HIT);
    assertThat(openai.isEmpty()).isTrue();

    // Another team asking the same thing is not answered from team-a's cache.
    send("team-b", deterministic("c3", "team-b").build());
    assertThat(openai.readValue().getRequest().getRequestId()).isEqualTo("c3");
    // Bypass, sampling and expiry all go to the provider.
    send(
        "team-a",
        deterministic("c4", "team-a").setMetadata(Map.of("tollgate.cache", "bypass")).build());
    send("team-a", request("c5", "team-a", "gpt-4o-mini").build());
    router.driver.advanceWallClockTime(Duration.ofHours(2));
    send("team-a", deterministic("c6", "team-a").build());
    assertThat(openai.readValuesToList())
        .extracting(r -> r.getRequest().getRequestId())
        .containsExactly("c4", "c5", "c6");
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void malformedCacheSettingsAre400() {
    send(
        "team-a",
        deterministic("m1", "team-a")
            .setMetadata(Map.of("tollgate.cache_ttl_s", "forever"))
            .build());

    LlmReply reply = replies.readValue();
    assertThat(reply.getError().getHttpStatus()).isEqualTo(400);
    assertThat(reply.getError().getMessage()).contains("tollgate.cache_ttl_s");
  }

  /** A backend job's record gets the checks an HTTP body gets: here, a tool result to no call. */
  @Test
  void aToolResultAnsweringNoCallIs400OnTheKafkaPathToo() {
    send(
        "team-a",
        request("t1", "team-a", "gpt-4o-mini")
            .setMessages(
                List.of(
                    ChatMessage.newBuilder().setRole("user").setContent("Hi").build(),
                    ChatMessage.newBuilder()
                        .setRole("tool")
                        .setToolCallId("call_9")
                        .setContent("42")
                        .build()))
            .build());

    LlmReply reply = replies.readValue();
    assertThat(reply.getError().getHttpStatus()).isEqualTo(400);
    assertThat(reply.getError().getParam()).isEqualTo("messages[1].tool_call_id");
  }

  private static LlmRequest.Builder deterministic(String id, String team) {
    return request(id, team, "gpt-4o-mini")
        .setDeadlineAt(NOW.plus(Duration.ofHours(5)))
        .setParams(GenerationParams.newBuilder().setTemperature(0.0).build());
  }

  private static CachedReply cached(String key, String team, Instant expires) {
    LlmReply reply =
        LlmReply.newBuilder()
            .setRequestId("c1")
            .setTeamId(team)
            .setCompletion(
                Completion.newBuilder()
                    .setId("x")
                    .setCreated(1)
                    .setModel("gpt-4o-mini")
                    .setChoices(
                        List.of(
                            Choice.newBuilder()
                                .setMessage(
                                    ChatMessage.newBuilder()
                                        .setRole("assistant")
                                        .setContent("cached answer")
                                        .build())
                                .build()))
                    .build())
            .setUsage(TokenUsage.newBuilder().setInputTokens(9).setOutputTokens(3).build())
            .setProvider("openai")
            .setDeploymentId("openai-gpt-4o-mini")
            .setCostMicros(3)
            .setRepliedAt(NOW)
            .build();
    return CachedReply.newBuilder()
        .setCacheKey(key)
        .setTeamId(team)
        .setReply(reply)
        .setStoredAt(NOW)
        .setExpiresAt(expires)
        .build();
  }
}
