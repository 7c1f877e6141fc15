package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.GenerationParams;
import java.util.List;

/**
 * What Anthropic's API takes of what OpenAI's has a range or a shape for: a temperature from 0 to
 * 1; a structured response format as a forced tool whose input is the schema, which takes the tool
 * choice (so not together with tools of the request's own) and an object schema only.
 */
final class AnthropicParameters {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AnthropicParameters() {}

  static void refusals(GenerationParams params, List<ApiParameters.Refused> out) {
    // A higher temperature than Anthropic's top would be another request.
    if (params.getTemperature() != null && params.getTemperature() > 1.0) {
      out.add(new ApiParameters.Refused("temperature", "Anthropic's runs from 0 to 1"));
    }
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
