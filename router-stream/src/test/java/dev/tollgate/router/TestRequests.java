package dev.tollgate.router;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.TopicProbe;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;

/** Requests for router tests. */
final class TestRequests {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final Vouch VOUCH = new Vouch("a-test-signing-secret-of-32-chars!");

  /** The checks of a router whose every reply topic is writable. */
  static RouterTopology.Checks checks() {
    return new RouterTopology.Checks(VOUCH, TopicProbe.allWritable(), Duration.ofMinutes(10));
  }

  private TestRequests() {}

  /**
   * A config with a key {@code <team>-key}, secret {@code secret-<team>}, for team-a and team-b.
   */
  static GatewayConfigView config(ModelCatalog catalog) {
    GatewayKeys keys =
        GatewayKeys.from(Settings.empty())
            .with("team-a-key", "team-a", secret("team-a"))
            .with("team-b-key", "team-b", secret("team-b"));
    return new GatewayConfigView(keys, catalog);
  }

  static String secret(String team) {
    return "secret-" + team;
  }

  /** {@code request} keyed by {@code team}, carrying that team's key. */
  static TestRecord<String, LlmRequest> signed(String team, LlmRequest request) {
    return withKey(team, secret(team), request);
  }

  /** {@code request} keyed by {@code team}, carrying the key {@code secret}. */
  static TestRecord<String, LlmRequest> withKey(String team, String secret, LlmRequest request) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(RequestHeaders.API_KEY, secret.getBytes(StandardCharsets.UTF_8));
    return new TestRecord<>(team, request, headers, NOW);
  }

  static LlmRequest.Builder request(String id, String team, String model) {
    return LlmRequest.newBuilder()
        .setRequestId(id)
        .setTeamId(team)
        .setKeyId(team + "-key")
        .setModel(model)
        .setMessages(List.of(ChatMessage.newBuilder().setRole("user").setContent("Hi").build()))
        .setParams(GenerationParams.newBuilder().build())
        .setCreatedAt(NOW)
        .setDeadlineAt(NOW.plusSeconds(60));
  }
}
