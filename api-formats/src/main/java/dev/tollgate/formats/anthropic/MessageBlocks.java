package dev.tollgate.formats.anthropic;

import static dev.tollgate.formats.BodyFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.formats.InlineData;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import dev.tollgate.schemas.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Anthropic's messages and content blocks as the contract's messages: {@code text}, {@code image}
 * and {@code document} blocks become parts (or plain content when all are text), an assistant's
 * {@code tool_use} blocks its tool calls (ids kept), a user's {@code tool_result} blocks tool
 * messages, placed before the rest of that user turn as OpenAI's order wants them.
 */
final class MessageBlocks {

  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private final InlineData inline;

  MessageBlocks(long maxInlineBytes) {
    this.inline = new InlineData(maxInlineBytes);
  }

  /**
   * The {@code system} field (a string or text blocks) as one system message, or null when absent;
   * a cache breakpoint on its last block is the message's.
   */
  ChatMessage system(JsonNode system) throws InvalidRequest {
    if (system.isMissingNode() || system.isNull()) {
      return null;
    }
    ChatMessage.Builder message = ChatMessage.newBuilder().setRole("system");
    if (system.isTextual()) {
      return message.setContent(system.asText()).build();
    }
    if (!system.isArray()) {
      throw InvalidRequest.of("system: Input should be a valid string or list", "system");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      String at = "system." + i;
      message.setCacheControl(cacheControl(block, at, i == system.size() - 1));
      if (!"text".equals(block.path("type").asText())) {
        throw InvalidRequest.of(at + ".type: system blocks must be text", at + ".type");
      }
      text.append(i == 0 ? "" : "\n\n").append(requiredText(block, "text", at + ".text"));
    }
    return message.setContent(text.toString()).build();
  }

  /** One Anthropic message as one or more of the contract's messages. */
  List<ChatMessage> message(JsonNode m, String at) throws InvalidRequest {
    if (!m.isObject()) {
      throw InvalidRequest.of(at + ": Input should be an object", at);
    }
    String role = m.path("role").asText("");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw InvalidRequest.of(at + ".role: Input should be 'user' or 'assistant'", at + ".role");
    }
    JsonNode content = m.path("content");
    if (content.isTextual()) {
      return List.of(ChatMessage.newBuilder().setRole(role).setContent(content.asText()).build());
    }
    if (!content.isArray()) {
      throw InvalidRequest.of(
          at + ".content: Input should be a valid string or list", at + ".content");
    }
    Turn turn = new Turn(role);
    for (int i = 0; i < content.size(); i++) {
      String where = at + ".content." + i;
      turn.cacheControl = cacheControl(content.get(i), where, i == content.size() - 1);
      turn.lastIsResult = "tool_result".equals(content.get(i).path("type").asText());
      block(content.get(i), where, turn);
    }
    return turn.messages();
  }

  /** A turn's blocks as they are read: its parts, tool calls and tool results. */
  private static final class Turn {
    final String role;
    final List<ContentPart> parts = new ArrayList<>();
    final List<ToolCall> calls = new ArrayList<>();
    final List<ChatMessage> results = new ArrayList<>();
    String cacheControl;
    boolean lastIsResult;

    Turn(String role) {
      this.role = role;
    }

    List<ChatMessage> messages() {
      List<ChatMessage> out = new ArrayList<>(results);
      if (lastIsResult && cacheControl != null) {
        // The breakpoint is on the last tool result; the rest of the turn comes before it.
        int last = out.size() - 1;
        out.set(last, ChatMessage.newBuilder(out.get(last)).setCacheControl(cacheControl).build());
      }
      if (parts.isEmpty() && calls.isEmpty()) {
        return out;
      }
      boolean textOnly = parts.stream().allMatch(p -> p.getType() == PartType.TEXT);
      StringBuilder text = new StringBuilder();
      parts.forEach(p -> text.append(p.getText() == null ? "" : p.getText()));
      out.add(
          ChatMessage.newBuilder()
              .setRole(role)
              .setContent(textOnly ? (parts.isEmpty() ? null : text.toString()) : null)
              .setParts(textOnly ? List.of() : parts)
              .setToolCalls(calls)
              .setCacheControl(lastIsResult ? null : cacheControl)
              .build());
      return out;
    }
  }

  private void block(JsonNode block, String at, Turn turn) throws InvalidRequest {
    String type = block.path("type").asText("");
    boolean user = "user".equals(turn.role);
    switch (type) {
      case "text" ->
          turn.parts.add(
              ContentPart.newBuilder()
                  .setType(PartType.TEXT)
                  .setText(requiredText(block, "text", at + ".text"))
                  .build());
      case "image" -> turn.parts.add(onlyFrom(user, image(block.path("source"), at), at));
      case "document" -> turn.parts.add(onlyFrom(user, document(block, at), at));
      case "tool_use" -> {
        if (user) {
          throw InvalidRequest.of(at + ": tool_use blocks belong to assistant turns", at);
        }
        JsonNode input = block.path("input");
        if (!input.isObject()) {
          throw InvalidRequest.of(at + ".input: Input should be an object", at + ".input");
        }
        turn.calls.add(
            ToolCall.newBuilder()
                .setId(requiredText(block, "id", at + ".id"))
                .setFunctionName(requiredText(block, "name", at + ".name"))
                .setArguments(input.toString())
                .build());
      }
      case "tool_result" -> {
        if (!user) {
          throw InvalidRequest.of(at + ": tool_result blocks belong to user turns", at);
        }
        turn.results.add(toolResult(block, at));
      }
      case "thinking", "redacted_thinking" ->
          throw InvalidRequest.of(
              at + ".type: extended thinking is not supported by Tollgate yet.", at + ".type");
      default ->
          throw InvalidRequest.of(
              at
                  + ".type: '"
                  + type
                  + "' is not a content block Tollgate serves"
                  + " (text, image, document, tool_use, tool_result).",
              at + ".type");
    }
  }

  private static ContentPart onlyFrom(boolean user, ContentPart part, String at)
      throws InvalidRequest {
    if (!user) {
      throw InvalidRequest.of(at + ": images and documents belong to user turns", at);
    }
    return part;
  }

  private ContentPart image(JsonNode source, String at) throws InvalidRequest {
    String kind = source.path("type").asText("");
    ContentPart.Builder part = ContentPart.newBuilder().setType(PartType.IMAGE);
    if ("url".equals(kind)) {
      String url = requiredText(source, "url", at + ".source.url");
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        throw InvalidRequest.of(at + ".source.url must be an http(s) URL.", at + ".source.url");
      }
      return part.setUrl(url).build();
    }
    if (!"base64".equals(kind)) {
      throw InvalidRequest.of(
          at + ".source.type: Tollgate takes images as 'base64' or 'url' sources.",
          at + ".source.type");
    }
    String mediaType = requiredText(source, "media_type", at + ".source.media_type");
    if (!IMAGE_TYPES.contains(mediaType)) {
      throw InvalidRequest.of(
          at + ".source.media_type must be one of " + IMAGE_TYPES + ".", at + ".source.media_type");
    }
    return part.setMediaType(mediaType)
        .setData(
            inline.decode(requiredText(source, "data", at + ".source.data"), at + ".source.data"))
        .build();
  }

  /** A PDF (base64) as a file part; a plain-text document as text. */
  private ContentPart document(JsonNode block, String at) throws InvalidRequest {
    JsonNode source = block.path("source");
    String kind = source.path("type").asText("");
    if ("text".equals(kind)) {
      return ContentPart.newBuilder()
          .setType(PartType.TEXT)
          .setText(requiredText(source, "data", at + ".source.data"))
          .build();
    }
    if (!"base64".equals(kind) || !"application/pdf".equals(source.path("media_type").asText())) {
      throw InvalidRequest.of(
          at + ".source: Tollgate takes documents as base64 PDFs or text.", at + ".source");
    }
    JsonNode title = block.path("title");
    return ContentPart.newBuilder()
        .setType(PartType.FILE)
        .setMediaType("application/pdf")
        .setFilename(title.isTextual() ? title.asText() : null)
        .setData(
            inline.decode(requiredText(source, "data", at + ".source.data"), at + ".source.data"))
        .build();
  }

  private static ChatMessage toolResult(JsonNode block, String at) throws InvalidRequest {
    if (block.path("is_error").asBoolean(false)) {
      throw InvalidRequest.of(
          at + ".is_error is not supported by Tollgate yet; say the error in the content.",
          at + ".is_error");
    }
    JsonNode content = block.path("content");
    StringBuilder text = new StringBuilder();
    if (content.isTextual()) {
      text.append(content.asText());
    } else if (content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        JsonNode part = content.get(i);
        if (!"text".equals(part.path("type").asText())) {
          throw InvalidRequest.of(
              at + ".content." + i + ": Tollgate takes tool results as text.",
              at + ".content." + i);
        }
        text.append(part.path("text").asText(""));
      }
    }
    return ChatMessage.newBuilder()
        .setRole("tool")
        .setToolCallId(requiredText(block, "tool_use_id", at + ".tool_use_id"))
        .setContent(text.toString())
        .build();
  }

  /**
   * A block's {@code cache_control} as a time to live ({@code 5m} or {@code 1h}), or null. Tollgate
   * carries one breakpoint per message, at its end: one on another block is refused.
   */
  private static String cacheControl(JsonNode block, String at, boolean last)
      throws InvalidRequest {
    JsonNode control = block.path("cache_control");
    if (control.isMissingNode() || control.isNull()) {
      return null;
    }
    String param = at + ".cache_control";
    if (!last) {
      throw InvalidRequest.of(
          param + ": Tollgate takes a cache breakpoint on a message's last block only, for now.",
          param);
    }
    if (!"ephemeral".equals(control.path("type").asText())) {
      throw InvalidRequest.of(param + ".type: Input should be 'ephemeral'", param + ".type");
    }
    String ttl = control.path("ttl").asText("5m");
    if (!"5m".equals(ttl) && !"1h".equals(ttl)) {
      throw InvalidRequest.of(param + ".ttl: Input should be '5m' or '1h'", param + ".ttl");
    }
    return ttl;
  }
}
