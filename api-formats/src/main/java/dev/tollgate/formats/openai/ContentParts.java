package dev.tollgate.formats.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.formats.InlineData;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's content parts ({@code text}, {@code image_url}, {@code input_audio}, {@code file}) as
 * Tollgate's {@link ContentPart}s: inline data decoded (and bounded), URLs checked to be http(s).
 */
final class ContentParts {

  private static final Pattern DATA_URL =
      Pattern.compile("data:([a-zA-Z0-9.+-]+/[a-zA-Z0-9.+-]+);base64,(.*)", Pattern.DOTALL);
  private static final Set<String> DETAILS = Set.of("low", "high", "auto");
  private static final Set<String> AUDIO_FORMATS = Set.of("wav", "mp3");

  private final InlineData inlineData;

  ContentParts(long maxInlineBytes) {
    this.inlineData = new InlineData(maxInlineBytes);
  }

  /**
   * The parts of a content array; {@code where} names it in errors ({@code messages[i].content}).
   */
  List<ContentPart> parse(JsonNode parts, String where) throws InvalidRequest {
    List<ContentPart> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      out.add(part(parts.get(i), where + "[" + i + "]"));
    }
    return out;
  }

  private ContentPart part(JsonNode part, String at) throws InvalidRequest {
    String type = part.path("type").asText("");
    return switch (type) {
      case "text" ->
          ContentPart.newBuilder()
              .setType(PartType.TEXT)
              .setText(required(part, "text", at + ".text"))
              .build();
      case "image_url" -> image(part.path("image_url"), at + ".image_url");
      case "input_audio" -> audio(part.path("input_audio"), at + ".input_audio");
      case "file" -> file(part.path("file"), at + ".file");
      default ->
          throw InvalidRequest.of(
              at
                  + ".type: '"
                  + type
                  + "' is not a content part type Tollgate serves"
                  + " (text, image_url, input_audio, file).",
              at + ".type");
    };
  }

  private ContentPart image(JsonNode image, String at) throws InvalidRequest {
    String url = required(image, "url", at + ".url");
    String detail = image.path("detail").isTextual() ? image.path("detail").asText() : null;
    if (detail != null && !DETAILS.contains(detail)) {
      throw InvalidRequest.of(at + ".detail must be one of " + DETAILS + ".", at + ".detail");
    }
    ContentPart.Builder part = ContentPart.newBuilder().setType(PartType.IMAGE).setDetail(detail);
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return part.setUrl(url).build();
    }
    if (!lower.startsWith("data:")) {
      throw InvalidRequest.of(at + ".url must be an http(s) URL or a data: URL.", at + ".url");
    }
    Inline inline = dataUrl(url, at + ".url");
    if (!inline.mediaType().startsWith("image/")) {
      throw InvalidRequest.of(
          at + ".url: a data URL of an image was expected, not " + inline.mediaType() + ".",
          at + ".url");
    }
    return part.setData(inline.data()).setMediaType(inline.mediaType()).build();
  }

  private ContentPart audio(JsonNode audio, String at) throws InvalidRequest {
    String format = required(audio, "format", at + ".format");
    if (!AUDIO_FORMATS.contains(format)) {
      throw InvalidRequest.of(at + ".format must be one of " + AUDIO_FORMATS + ".", at + ".format");
    }
    return ContentPart.newBuilder()
        .setType(PartType.AUDIO)
        .setData(inlineData.decode(required(audio, "data", at + ".data"), at + ".data"))
        .setMediaType("wav".equals(format) ? "audio/wav" : "audio/mpeg")
        .build();
  }

  private ContentPart file(JsonNode file, String at) throws InvalidRequest {
    ContentPart.Builder part =
        ContentPart.newBuilder()
            .setType(PartType.FILE)
            .setFilename(file.path("filename").isTextual() ? file.path("filename").asText() : null);
    if (file.path("file_id").isTextual()) {
      return part.setFileId(file.path("file_id").asText()).build();
    }
    Inline inline = dataUrl(required(file, "file_data", at + ".file_data"), at + ".file_data");
    return part.setData(inline.data()).setMediaType(inline.mediaType()).build();
  }

  private record Inline(String mediaType, ByteBuffer data) {}

  private Inline dataUrl(String url, String at) throws InvalidRequest {
    Matcher m = DATA_URL.matcher(url);
    if (!m.matches()) {
      throw InvalidRequest.of(at + " must be a data URL: data:<media type>;base64,<data>.", at);
    }
    return new Inline(m.group(1).toLowerCase(Locale.ROOT), inlineData.decode(m.group(2), at));
  }

  private static String required(JsonNode node, String field, String at) throws InvalidRequest {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw InvalidRequest.of(at + " is required and must be a string.", at);
    }
    return value.asText();
  }
}
