package dev.tollgate.platform.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {

  private static final List<ChatMessage> PROMPT =
      List.of(
          ChatMessage.newBuilder()
              .setRole("system")
              .setContent("You are a helpful assistant.")
              .build(),
          ChatMessage.newBuilder()
              .setRole("user")
              .setContent("What is the capital of France?")
              .build());

  @Test
  void openAiModelsAreCountedWithTheirTokenizer() {
    // o200k: "You are a helpful assistant." = 6, "What is the capital of France?" = 7;
    // 3 per message and 3 for the reply: 6 + 7 + 3 * 2 + 3 = 22 (what OpenAI reports).
    assertThat(TokenEstimate.promptTokens(PROMPT, null, "openai", "gpt-4o-mini")).isEqualTo(22);
    assertThat(TokenEstimate.promptTokens(PROMPT, null, "azure-openai", "gpt-3.5-turbo"))
        .isEqualTo(22);
  }

  @Test
  void othersAreEstimatedFromCharacters() {
    // 28 chars -> 10, 30 chars -> 10; 4 per message, 3 for the reply.
    assertThat(TokenEstimate.promptTokens(PROMPT, null, "anthropic", "claude"))
        .isEqualTo(10 + 10 + 8 + 3);
  }

  @Test
  void toolDefinitionsCountAsPrompt() {
    String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"where\"}}]";
    assertThat(TokenEstimate.promptTokens(PROMPT, tools, "anthropic", "claude"))
        .isEqualTo(10 + 10 + 8 + 3 + (tools.length() + 2) / 3);
  }
}
