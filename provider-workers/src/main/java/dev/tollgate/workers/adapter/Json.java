package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers the adapters share. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses a body; null when it is not JSON. */
  static JsonNode parseOrNull(String body) {
    try {
      return MAPPER.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Parses JSON Tollgate carries as text (tools, response format); refuses what is not JSON. */
  static JsonNode parseCarried(String field, String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + " is not valid JSON", e);
    }
  }

  static void putIfSet(ObjectNode node, String field, Boolean value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  static void putIfSet(ObjectNode node, String field, Number value) {
    if (value != null) {
      node.putPOJO(field, value);
    }
  }

  static String text(JsonNode node, String field, String fallback) {
    if (node == null) {
      return fallback;
    }
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? fallback : value.asText();
  }

  /** Function-call arguments as an object, as Anthropic and Gemini want them. */
  static JsonNode arguments(String json) {
    JsonNode node = parseOrNull(json == null || json.isBlank() ? "{}" : json);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("tool call arguments must be a JSON object");
    }
    return node;
  }
}
