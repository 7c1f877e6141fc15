package dev.tollgate.router;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import java.time.Instant;
import java.util.List;

/** Requests for router tests. */
final class TestRequests {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private TestRequests() {}

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
