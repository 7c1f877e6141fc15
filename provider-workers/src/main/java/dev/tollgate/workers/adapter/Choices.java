package dev.tollgate.workers.adapter;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.Choice;
import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.ToolCall;
import java.time.Instant;
import java.util.List;

/**
 * The OpenAI-shaped completion of APIs that answer with messages of their own shape (Anthropic one,
 * Gemini one per candidate): each message's text (null when the model only called tools) and tool
 * calls as a choice. These APIs give no creation time, so {@code created} is when the answer was
 * read (epoch seconds, as OpenAI's).
 */
final class Choices {

  private Choices() {}

  static Choice choice(
      int index, CharSequence text, List<ToolCall> toolCalls, String finishReason) {
    ChatMessage message =
        ChatMessage.newBuilder()
            .setRole("assistant")
            .setContent(text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString())
            .setToolCalls(toolCalls)
            .build();
    return Choice.newBuilder()
        .setIndex(index)
        .setMessage(message)
        .setFinishReason(finishReason)
        .build();
  }

  static Completion of(String id, String model, List<Choice> choices, Instant readAt) {
    return Completion.newBuilder()
        .setId(id)
        .setCreated(readAt.getEpochSecond())
        .setModel(model)
        .setChoices(choices)
        .build();
  }
}
