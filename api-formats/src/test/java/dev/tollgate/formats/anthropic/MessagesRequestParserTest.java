package dev.tollgate.formats.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.InlineData;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.PartType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Anthropic Messages bodies, as the Messages API reference documents them, read into the contract's
 * OpenAI-shaped terms.
 */
class MessagesRequestParserTest {

  private final MessagesRequestParser parser =
      new MessagesRequestParser(InlineData.DEFAULT_MAX_BYTES);

  @Test
  void readsAToolConversationInOpenAisOrder() throws InvalidRequest {
    ParsedRequest chat =
        parser.parse(
            """
            {"model": "claude-sonnet-4", "max_tokens": 1024,
             "system": [{"type": "text", "text": "Be brief."}, {"type": "text", "text": "Be kind."}],
             "messages": [
               {"role": "user", "content": "Weather in Paris?"},
               {"role": "assistant", "content": [
                 {"type": "text", "text": "Let me look."},
                 {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}]},
               {"role": "user", "content": [
                 {"type": "tool_result", "tool_use_id": "toolu_01", "content": [{"type": "text", "text": "Sunny"}]},
                 {"type": "text", "text": "And tomorrow?"}]}],
             "tools": [{"name": "get_weather", "description": "Weather", "input_schema":
                        {"type": "object", "properties": {"city": {"type": "string"}}}}],
             "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
             "stop_sequences": ["END"], "temperature": 0.5, "top_p": 0.9,
             "metadata": {"user_id": "u-7"}, "stream": false, "thinking": {"type": "disabled"}}
            """);

    assertThat(chat.messages())
        .extracting(ChatMessage::getRole)
        .containsExactly("system", "user", "assistant", "tool", "user");
    assertThat(chat.messages().get(0).getContent()).isEqualTo("Be brief.\n\nBe kind.");
    ChatMessage assistant = chat.messages().get(2);
    assertThat(assistant.getContent()).isEqualTo("Let me look.");
    assertThat(assistant.getToolCalls().get(0).getId()).isEqualTo("toolu_01");
    assertThat(assistant.getToolCalls().get(0).getArguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(chat.messages().get(3).getToolCallId()).isEqualTo("toolu_01");
    assertThat(chat.messages().get(3).getContent()).isEqualTo("Sunny");
    assertThat(chat.messages().get(4).getContent()).isEqualTo("And tomorrow?");
    assertThat(chat.params().getToolsJson())
        .isEqualTo(
            "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
                + "\"Weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
                + "{\"type\":\"string\"}}}}}]");
    assertThat(chat.params().getToolChoiceJson()).isEqualTo("\"required\"");
    assertThat(chat.params().getParallelToolCalls()).isFalse();
    assertThat(chat.params().getMaxTokens()).isEqualTo(1024);
    assertThat(chat.params().getStop()).containsExactly("END");
    assertThat(chat.user()).isEqualTo("u-7");
  }

  @Test
  void readsImagesAndDocumentsAsParts() throws InvalidRequest {
    ParsedRequest chat =
        parser.parse(
            """
            {"model": "claude-sonnet-4", "max_tokens": 10, "messages": [{"role": "user", "content": [
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
              {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
              {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}, "title": "a.pdf"},
              {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "Plain"}},
              {"type": "text", "text": "What are they?"}]}],
             "tool_choice": {"type": "tool", "name": "f"},
             "tools": [{"name": "f", "input_schema": {"type": "object"}}]}
            """);

    var parts = chat.messages().get(0).getParts();
    assertThat(parts)
        .extracting(p -> p.getType())
        .containsExactly(
            PartType.IMAGE, PartType.IMAGE, PartType.FILE, PartType.TEXT, PartType.TEXT);
    assertThat(parts.get(0).getMediaType()).isEqualTo("image/png");
    assertThat(parts.get(1).getUrl()).isEqualTo("https://example.com/cat.png");
    assertThat(parts.get(2).getFilename()).isEqualTo("a.pdf");
    assertThat(parts.get(3).getText()).isEqualTo("Plain");
    assertThat(chat.params().getToolChoiceJson())
        .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // what is missing or wrong | the param the refusal names
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]} | max_tokens",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"top_k\":3} | top_k",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temprature\":1} | temprature",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}} | thinking",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":1.5} | temperature",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"Hi\"}]} | messages.0.role",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"there\"}]}]} | messages.0.content.0.cache_control",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"2h\"}}]}]} | messages.0.content.0.cache_control.ttl",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"x\",\"is_error\":true}]}]} | messages.0.content.0.is_error",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/tiff\",\"data\":\"AA==\"}}]}]} | messages.0.content.0.source.media_type",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"file:///etc/passwd\"}}]}]} | messages.0.content.0.source.url",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web\"}]} | tools.0.type",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"string\"}}]} | tools.0.input_schema",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"g\"}} | tool_choice",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"nowhere\",\"content\":\"x\"}]}]} | messages[0].tool_call_id",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true} | stream",
      })
  void refusesWhatItCannotServeNamingTheField(String body, String param) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOfSatisfying(
            InvalidRequest.class, e -> assertThat(e.error().param()).isEqualTo(param));
  }

  /** A cache breakpoint on a message's (or the system prompt's) last block is the message's. */
  @Test
  void aCacheBreakpointOnTheLastBlockIsTheMessages() throws InvalidRequest {
    ParsedRequest chat =
        parser.parse(
            """
            {"model": "m", "max_tokens": 5,
             "system": [{"type": "text", "text": "Rules."},
                        {"type": "text", "text": "More rules.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
             "messages": [
               {"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]},
               {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
               {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok",
                                             "cache_control": {"type": "ephemeral"}}]}],
             "tools": [{"name": "f", "input_schema": {"type": "object"}}]}
            """);

    assertThat(chat.messages())
        .extracting(ChatMessage::getCacheControl)
        .containsExactly("1h", "5m", null, "5m");
    assertThat(chat.messages().get(0).getContent()).isEqualTo("Rules.\n\nMore rules.");
  }

  @Test
  void aTokenCountTakesNoOutputFields() throws InvalidRequest {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    assertThat(parser.parseCount("{\"model\":\"m\"," + messages + "}").messages()).hasSize(1);
    assertThatThrownBy(
            () -> parser.parseCount("{\"model\":\"m\",\"max_tokens\":5," + messages + "}"))
        .isInstanceOfSatisfying(
            InvalidRequest.class, e -> assertThat(e.error().param()).isEqualTo("max_tokens"));
  }
}
