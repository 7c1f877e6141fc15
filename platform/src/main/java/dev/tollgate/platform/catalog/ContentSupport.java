package dev.tollgate.platform.catalog;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import java.util.List;
import java.util.Set;

/**
 * Which content parts each provider API takes: OpenAI's takes them all; Anthropic images (by URL or
 * inline, JPEG, PNG, GIF, WebP) and inline PDFs, not audio or provider file ids; Gemini inline
 * images, PDFs and audio, not URLs (its {@code fileData} takes only its own uploads) nor OpenAI
 * file ids. A part a deployment cannot take keeps the request off it, named by its place.
 */
final class ContentSupport {

  private static final Set<String> ANTHROPIC_IMAGES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private ContentSupport() {}

  static void refusals(String api, List<ChatMessage> messages, List<ApiParameters.Refused> out) {
    for (int i = 0; i < messages.size(); i++) {
      List<ContentPart> parts = messages.get(i).getParts();
      for (int j = 0; j < parts.size(); j++) {
        String why = why(api, parts.get(j));
        if (why != null) {
          out.add(new ApiParameters.Refused("messages[" + i + "].content[" + j + "]", why));
          return;
        }
      }
    }
  }

  private static String why(String api, ContentPart part) {
    PartType type = part.getType();
    if (type == PartType.UNKNOWN) {
      return "a content part of a kind this release does not know";
    }
    if ("anthropic".equals(api)) {
      if (type == PartType.AUDIO) {
        return "Anthropic takes no input audio";
      }
      if (part.getFileId() != null) {
        return "Anthropic takes no OpenAI file id; send the file inline";
      }
      if (type == PartType.FILE && !"application/pdf".equals(part.getMediaType())) {
        return "Anthropic takes PDF documents only, not " + part.getMediaType();
      }
      if (type == PartType.IMAGE
          && part.getData() != null
          && !ANTHROPIC_IMAGES.contains(part.getMediaType())) {
        return "Anthropic takes JPEG, PNG, GIF and WebP images, not " + part.getMediaType();
      }
    } else if ("gemini".equals(api)) {
      if (part.getUrl() != null) {
        return "Gemini takes images inline (a data: URL), not by URL";
      }
      if (part.getFileId() != null) {
        return "Gemini takes no OpenAI file id; send the file inline";
      }
    }
    return null;
  }
}
