package dev.tollgate.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The mock's deterministic token counting, so tests can predict usage exactly: each message costs 4
 * tokens plus one per started 4 characters of its content, and every prompt 3 more (roughly
 * OpenAI's chat overhead).
 */
final class MockTokens {

  private MockTokens() {}

  static long promptTokens(JsonArray messages) {
    long tokens = 3;
    for (int i = 0; i < messages.size(); i++) {
      Object content = messages.getJsonObject(i).getValue("content");
      tokens += 4 + textTokens(content == null ? "" : content.toString());
    }
    return tokens;
  }

  static long textTokens(String text) {
    return (text.length() + 3) / 4;
  }

  /** The last user message's text, which the mock echoes back. */
  static String lastUserText(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject message = messages.getJsonObject(i);
      if ("user".equals(message.getString("role")) && message.getValue("content") != null) {
        return message.getValue("content").toString();
      }
    }
    return "";
  }
}
