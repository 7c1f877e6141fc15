package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.GenerationParams;
import java.util.List;

/**
 * A structured response format on Anthropic is a forced tool whose input is the schema: it takes
 * the tool choice, so not together with tools of the request's own, and a tool's input is an
 * object, so only an object schema.
 */
final class AnthropicParameters {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AnthropicParameters() {}

  static void refusals(GenerationParams params, List<ApiParameters.Refused> out) {
    if (params.getResponseFormatJson() == null) {
      return;
    }
    JsonNode format;
    try {
      format = JSON.readTree(params.getResponseFormatJson());
    } catch (JsonProcessingException e) {
      // The request validator refuses JSON that does not parse before routing.
      throw new IllegalStateException("unparsed response_format reached routing", e);
    }
    String type = format.path("type").asText();
    if ("text".equals(type)) {
      return;
    }
    if (params.getToolsJson() != null) {
      out.add(
          new ApiParameters.Refused(
              "response_format",
              "Anthropic answers in a format through a forced tool, not with tools"));
    } else if ("json_schema".equals(type)
        && !"object".equals(format.path("json_schema").path("schema").path("type").asText())) {
      out.add(
          new ApiParameters.Refused(
              "response_format", "Anthropic's forced tool takes an object schema only"));
    }
  }
}
