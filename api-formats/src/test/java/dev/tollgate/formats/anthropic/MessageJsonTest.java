package dev.tollgate.formats.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.ToolCall;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies rendered in the Messages API's response shape (its reference's example). */
class MessageJsonTest {

  private static LlmReply reply(ChatMessage message, String finish) {
    return LlmReply.newBuilder()
        .setRequestId("msg_1")
        .setTeamId("t")
        .setCompletion(
            Completion.newBuilder()
                .setId("chatcmpl-9")
                .setCreated(1)
                .setModel("gpt-4o-mini")
                .setChoices(
                    List.of(
                        Choice.newBuilder().setMessage(message).setFinishReason(finish).build()))
                .build())
        .setUsage(
            TokenUsage.newBuilder()
                .setInputTokens(10)
                .setCachedInputTokens(2048)
                .setCacheWriteTokens(5)
                .setCacheWrite1hTokens(3)
                .setOutputTokens(7)
                .setReasoningTokens(3)
                .build())
        .setRepliedAt(Instant.EPOCH)
        .build();
  }

  @Test
  void aToolCallIsAToolUseBlockWithItsIdAndInput() throws Exception {
    ChatMessage message =
        ChatMessage.newBuilder()
            .setRole("assistant")
            .setContent("Looking.")
            .setToolCalls(
                List.of(
                    ToolCall.newBuilder()
                        .setId("call_1")
                        .setFunctionName("get_weather")
                        .setArguments("{\"city\":\"Paris\"}")
                        .build()))
            .build();

    assertThat(MessageJson.message(reply(message, "tool_calls")))
        .isEqualTo(
            new JsonObject(
                """
                {"id": "msg_1", "type": "message", "role": "assistant", "model": "gpt-4o-mini",
                 "content": [{"type": "text", "text": "Looking."},
                             {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 10, "cache_creation_input_tokens": 8,
                           "cache_creation": {"ephemeral_5m_input_tokens": 5, "ephemeral_1h_input_tokens": 3},
                           "cache_read_input_tokens": 2048, "output_tokens": 7}}
                """));
  }

  @Test
  void finishReasonsBecomeStopReasons() throws Exception {
    ChatMessage text = ChatMessage.newBuilder().setRole("assistant").setContent("x").build();
    assertThat(MessageJson.message(reply(text, "length")).getString("stop_reason"))
        .isEqualTo("max_tokens");
    assertThat(MessageJson.message(reply(text, "content_filter")).getString("stop_reason"))
        .isEqualTo("refusal");
    assertThat(MessageJson.message(reply(text, null)).getString("stop_reason"))
        .isEqualTo("end_turn");
  }

  @Test
  void argumentsThatAreNotAnObjectAreNotPassedOffAsOne() {
    ChatMessage message =
        ChatMessage.newBuilder()
            .setRole("assistant")
            .setToolCalls(
                List.of(
                    ToolCall.newBuilder()
                        .setId("call_1")
                        .setFunctionName("f")
                        .setArguments("{\"cut\": ")
                        .build()))
            .build();
    assertThatThrownBy(() -> MessageJson.message(reply(message, "length")))
        .isInstanceOf(MessageJson.NotAnObject.class);
  }
}
