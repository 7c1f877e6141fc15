package dev.tollgate.platform.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.schemas.GenerationParams;
import java.util.List;

/**
 * What Anthropic's API takes of what OpenAI's has a range or a shape for: a temperature from 0 to
 * 1; a structured response format as a forced tool whose input is the schema, which takes the tool
 * choice (so not together with tools of the request's own) and an object schema only; a reasoning
 * effort as an extended-thinking budget ({@link #thinkingBudget}), which Anthropic takes without a
 * temperature or a forced tool, with an output cap above the budget, and which Tollgate does not
 * combine with tools yet (a tool call's continuation needs the turn's thinking blocks sent back).
 */
public final class AnthropicParameters {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AnthropicParameters() {}

  /**
   * OpenAI's {@code reasoning_effort} as Anthropic's {@code thinking.budget_tokens}: Google's
   * mapping for Gemini ({@code low} 1,024, {@code medium} 8,192, {@code high} 24,576), with {@code
   * minimal} at Anthropic's least, 1,024.
   */
  public static int thinkingBudget(String effort) {
    return switch (effort) {
      case "minimal", "low" -> 1_024;
      case "medium" -> 8_192;
      default -> 24_576;
    };
  }

  static void refusals(GenerationParams params, List<ApiParameters.Refused> out) {
    thinking(params, out);
    // A higher temperature than Anthropic's top would be another request.
    if (params.getTemperature() != null && params.getTemperature() > 1.0) {
      out.add(new ApiParameters.Refused("temperature", "Anthropic's runs from 0 to 1"));
    }
    if (params.getResponseFormatJson() == null) {
      return;
    }
    if (params.getReasoningEffort() != null) {
      out.add(
          new ApiParameters.Refused(
              "response_format", "Anthropic's thinking takes no forced tool, its way of a format"));
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

  private static void thinking(GenerationParams params, List<ApiParameters.Refused> out) {
    String effort = params.getReasoningEffort();
    if (effort == null) {
      return;
    }
    int budget = thinkingBudget(effort);
    if (params.getTemperature() != null) {
      out.add(new ApiParameters.Refused("temperature", "Anthropic's thinking takes none"));
    }
    if (params.getToolsJson() != null) {
      out.add(
          new ApiParameters.Refused(
              "reasoning_effort", "with tools, not yet: Anthropic wants its thinking blocks back"));
    }
    if (params.getMaxTokens() != null && params.getMaxTokens() <= budget) {
      out.add(
          new ApiParameters.Refused(
              "reasoning_effort",
              "a thinking budget of " + budget + " tokens needs max_tokens above it"));
    }
  }
}
