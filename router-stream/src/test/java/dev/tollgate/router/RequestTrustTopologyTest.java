package dev.tollgate.router;

import static dev.tollgate.router.TestRequests.NOW;
import static dev.tollgate.router.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.TopicProbe;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who the router believes and where it answers: key hashes only when ingest-api signed them,
 * replies only on topics the team may use and the router can write (else a dead letter and nothing
 * on the named topic), and no credential header on anything the router writes.
 */
class RequestTrustTopologyTest {

  private static final String MISSING = "llm-replies-team-a-gone";

  private RouterHarness router;
  private AvroSerde<LlmRequest> requestSerde;
  private TestInputTopic<String, byte[]> requests;
  private TestOutputTopic<String, RoutedRequest> openai;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void setUp() {
    TopicProbe probe =
        new TopicProbe(
            topic ->
                topic.equals(MISSING)
                    ? Optional.of("topic '" + topic + "' does not exist")
                    : Optional.empty(),
            Clock.systemUTC());
    router =
        new RouterHarness(
            TestRequests.config(ModelCatalog.load(Settings.empty())),
            id -> Optional.empty(),
            new RouterTopology.Checks(TestRequests.VOUCH, probe, Duration.ofMinutes(10)),
            NOW);
    requestSerde = router.serdes.of(LlmRequest.class);
    requests = router.rawInput(router.topics.requests());
    openai = router.output(router.topics.providerRequests("openai"));
    deadLetters = router.output(router.topics.deadLetters());
  }

  /** A reply topic named by its name, as a request's reply_to names it. */
  private TestOutputTopic<String, LlmReply> repliesOn(String topic) {
    return router.output(Topics.replyTopic(topic));
  }

  @AfterEach
  void tearDown() {
    router.close();
  }

  /** {@code request} for team-a as ingest-api sends it: the key's hash, signed over the bytes. */
  private void sendVouched(LlmRequest request, boolean validSignature) {
    byte[] value = requestSerde.serialize(router.topics.requests().name(), request);
    String hash = KeyHash.sha256(TestRequests.secret("team-a"));
    RecordHeaders headers = new RecordHeaders();
    headers.add(RequestHeaders.KEY_SHA256, hash.getBytes(StandardCharsets.US_ASCII));
    byte[] signature = TestRequests.VOUCH.sign(hash, value);
    if (!validSignature) {
      signature[0] ^= 1;
    }
    headers.add(RequestHeaders.VOUCH, signature);
    requests.pipeInput(new TestRecord<>("team-a", value, headers, NOW));
  }

  private void sendWithKey(LlmRequest request) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        RequestHeaders.API_KEY, TestRequests.secret("team-a").getBytes(StandardCharsets.UTF_8));
    headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
    requests.pipeInput(
        new TestRecord<>(
            "team-a",
            requestSerde.serialize(router.topics.requests().name(), request),
            headers,
            NOW));
  }

  @Test
  void aKeyHashIsBelievedOnlyWithItsSignatureOverTheExactValue() {
    sendVouched(request("v1", "team-a", "gpt-4o-mini").build(), true);
    assertThat(openai.readValue().getRequest().getKeyId()).isEqualTo("team-a-key");

    sendVouched(request("v2", "team-a", "gpt-4o-mini").build(), false);
    RecordHeaders bare = new RecordHeaders();
    bare.add(
        RequestHeaders.KEY_SHA256,
        KeyHash.sha256(TestRequests.secret("team-a")).getBytes(StandardCharsets.US_ASCII));
    requests.pipeInput(
        new TestRecord<>(
            "team-a",
            requestSerde.serialize(
                router.topics.requests().name(), request("v3", "team-a", "gpt-4o-mini").build()),
            bare,
            NOW));

    assertThat(openai.isEmpty()).isTrue();
    assertThat(router.defaultReplies("team-a").readValuesToList())
        .extracting(r -> r.getError().getHttpStatus())
        .containsExactly(401, 401);
  }

  @Test
  void aSignedRequestMayBeAnsweredOnIngestsReplyTopicAJobsMayNot() {
    sendVouched(
        request("v4", "team-a", "gpt-9")
            .setReplyTo(router.topics.ingestReplies("host-1").name())
            .build(),
        true);
    sendWithKey(
        request("j1", "team-a", "gpt-9")
            .setReplyTo(router.topics.ingestReplies("host-1").name())
            .build());

    TestOutputTopic<String, LlmReply> ingest = router.output(router.topics.ingestReplies("host-1"));
    assertThat(ingest.readRecordsToList()).extracting(TestRecord::key).containsExactly("v4");
    assertThat(deadLetters.readValue().getReason()).contains("not one of team 'team-a''s");
  }

  @Test
  void replyTopicsOutsideTheTeamsPrefixOrUnwritableAreOnlyDeadLettered() {
    for (String replyTo :
        new String[] {
          "llm-replies-team-b-jobs", "llm-requests", "llm-requests-openai", "bad name!", MISSING
        }) {
      sendWithKey(
          request("r-" + replyTo.hashCode(), "team-a", "gpt-9").setReplyTo(replyTo).build());
    }
    sendWithKey(request("ok", "team-a", "gpt-9").setReplyTo("llm-replies-team-a-jobs").build());

    assertThat(deadLetters.readValuesToList())
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            r -> assertThat(r).contains("not one of team 'team-a''s"),
            r -> assertThat(r).contains("not one of team 'team-a''s"),
            r -> assertThat(r).contains("not one of team 'team-a''s"),
            r -> assertThat(r).contains("not a legal topic name"),
            r -> assertThat(r).contains("does not exist"));
    for (String named : new String[] {"llm-replies-team-b-jobs", "llm-requests", MISSING}) {
      assertThat(repliesOn(named).isEmpty()).as(named).isTrue();
    }
    TestOutputTopic<String, LlmReply> own = repliesOn("llm-replies-team-a-jobs");
    assertThat(own.readValue().getError().getHttpStatus()).isEqualTo(404);
  }

  @Test
  void nothingTheRouterWritesCarriesACredential() {
    sendWithKey(request("h1", "team-a", "gpt-4o-mini").build());
    sendWithKey(request("h2", "team-a", "gpt-9").build());
    sendVouched(request("h3", "team-a", "gpt-4o-mini").build(), true);

    TestOutputTopic<String, LlmReply> replies = router.defaultReplies("team-a");
    List<TestRecord<String, ?>> written = new ArrayList<>(openai.readRecordsToList());
    written.addAll(replies.readRecordsToList());
    assertThat(written).hasSize(3);
    assertThat(written.get(0).headers().lastHeader("traceparent"))
        .as("other headers pass")
        .isNotNull();
    for (TestRecord<String, ?> record : written) {
      assertThat(record.headers().toArray())
          .extracting(Header::key)
          .doesNotContain(RequestHeaders.API_KEY, RequestHeaders.KEY_SHA256, RequestHeaders.VOUCH);
    }
  }

  @Test
  void aReplayedRecordIsServedOnceAndAReusedIdIsRefused() {
    LlmRequest original = request("once", "team-a", "gpt-4o-mini").build();
    sendVouched(original, true);
    sendVouched(original, true);
    sendVouched(request("once", "team-a", "gpt-4o").build(), true);

    assertThat(openai.readRecordsToList()).extracting(TestRecord::key).containsExactly("once");
    LlmReply refused = router.defaultReplies("team-a").readValue();
    assertThat(refused.getError().getCode()).isEqualTo("duplicate_request_id");
    assertThat(deadLetters.readValue().getReason()).contains("already used");
  }

  @Test
  void everyFieldIsCheckedAsForAnHttpBodyAndDeadlinesAreHeldToTheLongest() {
    sendWithKey(
        request("nan", "team-a", "gpt-4o-mini")
            .setParams(GenerationParams.newBuilder().setTemperature(Double.NaN).build())
            .build());
    sendWithKey(
        request("neg", "team-a", "gpt-4o-mini")
            .setParams(GenerationParams.newBuilder().setMaxTokens(-5).build())
            .build());
    sendWithKey(
        request("json", "team-a", "gpt-4o-mini")
            .setParams(GenerationParams.newBuilder().setToolsJson("{not json").build())
            .build());
    sendWithKey(request("bad id with spaces", "team-a", "gpt-4o-mini").build());
    sendWithKey(
        request("far", "team-a", "gpt-4o-mini")
            .setDeadlineAt(NOW.plus(Duration.ofDays(3)))
            .build());

    assertThat(router.defaultReplies("team-a").readValuesToList())
        .extracting(r -> r.getError().getParam())
        .containsExactly("temperature", "max_tokens", "tools", "request_id");
    assertThat(deadLetters.readValuesToList()).hasSize(4);
    assertThat(openai.readValue().getRequest().getDeadlineAt())
        .isBeforeOrEqualTo(NOW.plus(Duration.ofMinutes(10)));
  }
}
