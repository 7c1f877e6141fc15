package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

/**
 * A message's content parts in each provider's wire format. The router sends a provider only the
 * parts it takes (ContentSupport); each format's reference: OpenAI's content parts ({@code
 * image_url}, {@code input_audio}, {@code file}), Anthropic's {@code image} and {@code document}
 * blocks with {@code base64} or {@code url} sources, Gemini's {@code inlineData} parts.
 */
final class PartsJson {

  private PartsJson() {}

  static ArrayNode openAi(List<ContentPart> parts) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ContentPart p : parts) {
      ObjectNode node = out.addObject();
      switch (p.getType()) {
        case TEXT -> node.put("type", "text").put("text", p.getText());
        case IMAGE -> {
          ObjectNode image = node.put("type", "image_url").putObject("image_url");
          image.put("url", p.getUrl() != null ? p.getUrl() : dataUrl(p));
          if (p.getDetail() != null) {
            image.put("detail", p.getDetail());
          }
        }
        case AUDIO ->
            node.put("type", "input_audio")
                .putObject("input_audio")
                .put("data", base64(p.getData()))
                .put("format", "audio/wav".equals(p.getMediaType()) ? "wav" : "mp3");
        case FILE -> {
          ObjectNode file = node.put("type", "file").putObject("file");
          if (p.getFileId() != null) {
            file.put("file_id", p.getFileId());
          } else {
            file.put("file_data", dataUrl(p));
          }
          if (p.getFilename() != null) {
            file.put("filename", p.getFilename());
          }
        }
        default -> throw new IllegalArgumentException("a content part of no known type");
      }
    }
    return out;
  }

  static ArrayNode anthropic(List<ContentPart> parts) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ContentPart p : parts) {
      if (p.getType() == PartType.TEXT) {
        out.addObject().put("type", "text").put("text", p.getText());
        continue;
      }
      ObjectNode block =
          out.addObject().put("type", p.getType() == PartType.IMAGE ? "image" : "document");
      ObjectNode source = block.putObject("source");
      if (p.getUrl() != null) {
        source.put("type", "url").put("url", p.getUrl());
      } else {
        source
            .put("type", "base64")
            .put("media_type", p.getMediaType())
            .put("data", base64(p.getData()));
      }
    }
    return out;
  }

  static ArrayNode gemini(List<ContentPart> parts) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ContentPart p : parts) {
      if (p.getType() == PartType.TEXT) {
        out.addObject().put("text", p.getText());
      } else {
        out.addObject()
            .putObject("inlineData")
            .put("mimeType", p.getMediaType())
            .put("data", base64(p.getData()));
      }
    }
    return out;
  }

  private static String dataUrl(ContentPart p) {
    return "data:" + p.getMediaType() + ";base64," + base64(p.getData());
  }

  private static String base64(ByteBuffer data) {
    ByteBuffer copy = data.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
