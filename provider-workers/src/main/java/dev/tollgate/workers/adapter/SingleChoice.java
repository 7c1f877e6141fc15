package dev.tollgate.workers.adapter;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.ToolCall;
import java.time.Instant;
import java.util.List;

/**
 * The OpenAI-shaped completion of APIs that answer with one message (Anthropic, Gemini): its text
 * (null when the model only called tools) and tool calls as one choice. These APIs give no creation
 * time, so {@code created} is when the answer was read (epoch seconds, as OpenAI's).
 */
final class SingleChoice {

  private SingleChoice() {}

  static Completion of(
      String id,
      String model,
      CharSequence text,
      List<ToolCall> toolCalls,
      String finishReason,
      Instant readAt) {
    ChatMessage message =
        ChatMessage.newBuilder()
            .setRole("assistant")
            .setContent(text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString())
            .setToolCalls(toolCalls)
            .build();
    return Completion.newBuilder()
        .setId(id)
        .setCreated(readAt.getEpochSecond())
        .setModel(model)
        .setChoices(
            List.of(
                Choice.newBuilder()
                    .setIndex(0)
                    .setMessage(message)
                    .setFinishReason(finishReason)
                    .build()))
        .build();
  }
}
