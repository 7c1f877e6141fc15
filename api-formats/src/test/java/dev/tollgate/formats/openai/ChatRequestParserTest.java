package dev.tollgate.formats.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestParserTest {

  private final ChatRequestParser parser = new ChatRequestParser();

  @Test
  void readsTheOpenAiShape() throws InvalidRequest {
    ParsedRequest chat =
        parser.parse(
            """
            {"model": "gpt-4o-mini",
             "messages": [{"role": "system", "content": "Be brief."},
                          {"role": "user", "content": [{"type": "text", "text": "Hello "}, {"type": "text", "text": "there"}]},
                          {"role": "assistant", "content": null,
                           "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                          {"role": "tool", "tool_call_id": "c1", "content": "42"}],
             "temperature": 0, "top_p": 0.5, "max_completion_tokens": 64, "stop": "END", "seed": 3,
             "response_format": {"type": "json_object"}, "tools": [{"type": "function", "function": {"name": "f"}}],
             "tool_choice": "auto", "user": "u1", "metadata": {"job": "nightly"},
             "stream": false, "n": 1, "store": false, "parallel_tool_calls": false,
             "reasoning_effort": "low", "logprobs": true, "top_logprobs": 2, "service_tier": "flex"}
            """);

    assertThat(chat.model()).isEqualTo("gpt-4o-mini");
    assertThat(chat.messages()).hasSize(4);
    assertThat(chat.messages().get(1).getContent()).isEqualTo("Hello there");
    assertThat(chat.messages().get(2).getToolCalls().get(0).getFunctionName()).isEqualTo("f");
    assertThat(chat.messages().get(3).getToolCallId()).isEqualTo("c1");
    assertThat(chat.params().getMaxTokens()).isEqualTo(64);
    assertThat(chat.params().getStop()).containsExactly("END");
    assertThat(chat.params().getTemperature()).isEqualTo(0.0);
    assertThat(chat.params().getToolChoiceJson()).isEqualTo("\"auto\"");
    assertThat(chat.metadata()).containsEntry("job", "nightly");
    assertThat(chat.user()).isEqualTo("u1");
    assertThat(chat.params().getParallelToolCalls()).isFalse();
    assertThat(chat.params().getReasoningEffort()).isEqualTo("low");
    assertThat(chat.params().getLogprobs()).isTrue();
    assertThat(chat.params().getTopLogprobs()).isEqualTo(2);
    assertThat(chat.params().getServiceTier()).isEqualTo("flex");
  }

  @Test
  void readsImagesAudioAndFilesAsParts() throws InvalidRequest {
    ParsedRequest chat =
        parser.parse(
            """
            {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": [
              {"type": "text", "text": "What is in these?"},
              {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
              {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
              {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0=", "filename": "a.pdf"}}]}]}
            """);

    ChatMessage user = chat.messages().get(0);
    assertThat(user.getContent()).isNull();
    assertThat(user.getParts())
        .extracting(ContentPart::getType)
        .containsExactly(
            PartType.TEXT, PartType.IMAGE, PartType.IMAGE, PartType.AUDIO, PartType.FILE);
    assertThat(user.getParts().get(1).getUrl()).isEqualTo("https://example.com/cat.png");
    assertThat(user.getParts().get(1).getDetail()).isEqualTo("low");
    assertThat(user.getParts().get(2).getMediaType()).isEqualTo("image/png");
    assertThat(user.getParts().get(2).getData().remaining()).isEqualTo(8);
    assertThat(user.getParts().get(3).getMediaType()).isEqualTo("audio/wav");
    assertThat(user.getParts().get(4).getFilename()).isEqualTo("a.pdf");
  }

  @Test
  void inlineContentOverTheLimitIsRefused() {
    assertThatThrownBy(
            () ->
                new ChatRequestParser(4)
                    .parse(
                        "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                            + " \"image_url\", \"image_url\": {\"url\": \"data:image/png;base64,iVBORw0KGgo=\"}}]}]}"))
        .isInstanceOfSatisfying(
            InvalidRequest.class,
            e -> {
              assertThat(e.error().param()).isEqualTo("messages[0].content[0].image_url.url");
              assertThat(e.getMessage()).contains("4-byte limit");
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json | {nope | ",
        "array body | [] | ",
        "missing model | {\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]} | model",
        "model not a string | {\"model\": 4, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]} | model",
        "empty messages | {\"model\": \"m\", \"messages\": []} | messages",
        "bad role | {\"model\": \"m\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]} | messages[0].role",
        "image without url | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]} | messages[0].content[0].image_url.url",
        "image by ftp | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"ftp://x/y.png\"}}]}]} | messages[0].content[0].image_url.url",
        "data url not an image | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:text/plain;base64,aGk=\"}}]}]} | messages[0].content[0].image_url.url",
        "bad base64 | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\", \"input_audio\": {\"data\": \"%%%\", \"format\": \"wav\"}}]}]} | messages[0].content[0].input_audio.data",
        "unknown part | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"video\"}]}]} | messages[0].content[0].type",
        "image in a system message | {\"model\": \"m\", \"messages\": [{\"role\": \"system\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://x/y.png\"}}]}]} | messages[0].content",
        "temperature too high | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"temperature\": 3} | temperature",
        "temperature a string | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"temperature\": \"hot\"} | temperature",
        "max_tokens zero | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"max_tokens\": 0} | max_tokens",
        "max_tokens fraction | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"max_tokens\": 1.5} | max_tokens",
        "stream | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"stream\": true} | stream",
        "n of 0 | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"n\": 0} | n",
        "five stops | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"stop\": [\"a\",\"b\",\"c\",\"d\",\"e\"]} | stop",
        "metadata not strings | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"metadata\": {\"a\": 1}} | metadata",
        "unknown field | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"temprature\": 1} | temprature",
        "not served yet | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"logit_bias\": {\"50256\": -100}} | logit_bias",
        "store true | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"store\": true} | store",
        "bad effort | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"reasoning_effort\": \"max\"} | reasoning_effort",
        "top_logprobs alone | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"top_logprobs\": 3} | top_logprobs",
        "bad tier | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"service_tier\": \"gold\"} | service_tier",
        "tool choice not a tool | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"a\"}}], \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"b\"}}} | tool_choice",
        "required without tools | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"tool_choice\": \"required\"} | tool_choice",
        "tool schema not an object | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"a\", \"parameters\": {\"type\": \"string\"}}}]} | tools[0].function.parameters",
        "tool name | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"a b\"}}]} | tools[0].function.name",
        "tool result answering nothing | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"tool\", \"tool_call_id\": \"nope\", \"content\": \"1\"}]} | messages[1].tool_call_id",
        "schema format without schema | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"s\"}}} | response_format.json_schema.schema",
        "unknown format | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"response_format\": {\"type\": \"yaml\"}} | response_format.type",
        "parallel without tools | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"parallel_tool_calls\": false} | parallel_tool_calls",
        "parallel not boolean | {\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"parallel_tool_calls\": \"yes\"} | parallel_tool_calls",
      })
  void refusesMalformedBodiesNamingTheParameter(String name, String body, String param) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(InvalidRequest.class)
        .satisfies(
            e -> {
              InvalidRequest invalid = (InvalidRequest) e;
              assertThat(invalid.error().status()).isEqualTo(400);
              assertThat(invalid.error().type()).isEqualTo("invalid_request_error");
              assertThat(invalid.error().param()).isEqualTo(param);
            });
  }
}
