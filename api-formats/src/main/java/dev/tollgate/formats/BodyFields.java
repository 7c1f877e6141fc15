package dev.tollgate.formats;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request body's fields read with their type checked: each refusal names the field as the client
 * sent it ({@code param}), as OpenAI's and Anthropic's errors do.
 */
public final class BodyFields {

  private BodyFields() {}

  public static String requiredText(JsonNode node, String field, String param)
      throws InvalidRequest {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw InvalidRequest.of("'" + param + "' is required and must be a string.", param);
    }
    return value.asText();
  }

  /** The field's text, or null when it is absent or null. */
  public static String optionalText(JsonNode node, String field, String param)
      throws InvalidRequest {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw InvalidRequest.of("'" + param + "' must be a string.", param);
    }
    return value.asText();
  }

  public static Boolean bool(JsonNode node, String field, String param) throws InvalidRequest {
    if (!node.hasNonNull(field)) {
      return null;
    }
    if (!node.get(field).isBoolean()) {
      throw InvalidRequest.of("'" + param + "' must be a boolean.", param);
    }
    return node.get(field).asBoolean();
  }

  public static Integer integer(JsonNode node, String field, int min, String param)
      throws InvalidRequest {
    if (!node.hasNonNull(field)) {
      return null;
    }
    JsonNode value = node.get(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min) {
      throw InvalidRequest.of("'" + param + "' must be an integer of at least " + min + ".", param);
    }
    return value.asInt();
  }

  public static Double decimal(JsonNode node, String field, double min, double max, String param)
      throws InvalidRequest {
    return node.hasNonNull(field) ? number(node, field, min, max, param).doubleValue() : null;
  }

  public static Number number(JsonNode node, String field, double min, double max, String param)
      throws InvalidRequest {
    JsonNode value = node.get(field);
    if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
      throw InvalidRequest.of(
          "'" + param + "' must be a number between " + min + " and " + max + ".", param);
    }
    return value.numberValue();
  }
}
