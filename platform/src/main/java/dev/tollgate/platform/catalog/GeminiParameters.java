package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.schema.GeminiSchema;
import dev.tollgate.schemas.GenerationParams;
import java.util.List;

/**
 * The schemas a request carries (tools, a JSON response schema), checked against Gemini's subset.
 */
final class GeminiParameters {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GeminiParameters() {}

  /** Gemini's bound on {@code candidateCount}. */
  private static final int MAX_CANDIDATES = 8;

  static void refusals(GenerationParams params, List<ApiParameters.Refused> out) {
    if (params.getN() != null && params.getN() > MAX_CANDIDATES) {
      out.add(
          new ApiParameters.Refused("n", "Gemini gives at most " + MAX_CANDIDATES + " candidates"));
    }
    try {
      if (params.getToolsJson() != null) {
        for (JsonNode tool : JSON.readTree(params.getToolsJson())) {
          JsonNode schema = tool.path("function").path("parameters");
          if (!schema.isMissingNode()) {
            check(schema, "tools", out);
          }
        }
      }
      if (params.getResponseFormatJson() != null) {
        JsonNode format = JSON.readTree(params.getResponseFormatJson());
        if ("json_schema".equals(format.path("type").asText())) {
          check(format.path("json_schema").path("schema"), "response_format", out);
        }
      }
    } catch (JsonProcessingException e) {
      // The request validator refuses JSON that does not parse before routing.
      throw new IllegalStateException("unparsed parameter JSON reached routing", e);
    }
  }

  private static void check(JsonNode schema, String param, List<ApiParameters.Refused> out) {
    try {
      GeminiSchema.of(schema);
    } catch (GeminiSchema.Unsupported e) {
      out.add(new ApiParameters.Refused(param, "Gemini's schema subset: " + e.getMessage()));
    }
  }
}
