package dev.tollgate.platform.catalog;

import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a request's parameters each deployment honours: what its provider's API does not take,
 * and what the catalog says the deployment's model refuses ({@code unsupported_params}, e.g. {@code
 * temperature} on OpenAI's reasoning models). The router sends a request only to deployments that
 * honour every parameter it sets, and refuses it (400 naming the parameter) when none does: a
 * parameter is never dropped on the way to a provider that would ignore it. docs/api.md has the
 * table.
 */
public final class ApiParameters {

  /** The parameters a catalog may name in a deployment's {@code unsupported_params}. */
  public static final Set<String> NAMES =
      new LinkedHashSet<>(
          List.of(
              "temperature",
              "top_p",
              "stop",
              "seed",
              "presence_penalty",
              "frequency_penalty",
              "response_format",
              "tools",
              "tool_choice",
              "parallel_tool_calls",
              "reasoning_effort",
              "logprobs",
              "top_logprobs",
              "service_tier",
              "n"));

  /** What each API does not take at all (OpenAI's and OpenAI-compatible APIs take them all). */
  private static final Map<String, Set<String>> NOT_TAKEN =
      Map.of(
          "anthropic",
          Set.of(
              "seed",
              "presence_penalty",
              "frequency_penalty",
              "logprobs",
              "top_logprobs",
              "service_tier",
              "n"),
          "gemini",
          Set.of("logprobs", "top_logprobs", "service_tier", "parallel_tool_calls"));

  /**
   * What an API has no field for and that is safe to leave out, so it is dropped rather than
   * keeping the request off the API, and named in the reply's {@code x-tollgate-dropped-params}:
   * {@code user}, an end-user id for the provider's abuse monitoring, which Gemini does not take;
   * and {@code cache_control}, a prompt-cache breakpoint, which only Anthropic takes.
   */
  private static final Map<String, Set<String>> DROPPED =
      Map.of(
          "openai", Set.of("cache_control"),
          "azure-openai", Set.of("cache_control"),
          "gemini", Set.of("user", "cache_control"));

  /** The request's parameters a deployment of {@code api} serves it without. */
  public static List<String> dropped(String api, LlmRequest request) {
    Set<String> dropped = DROPPED.getOrDefault(api, Set.of());
    List<String> out = new ArrayList<>();
    addIf(out, "user", request.getUser() != null && dropped.contains("user"));
    addIf(
        out,
        "cache_control",
        dropped.contains("cache_control")
            && request.getMessages().stream().anyMatch(m -> m.getCacheControl() != null));
    return out;
  }

  /** A parameter a deployment does not honour, and why when there is more to say. */
  public record Refused(String param, String why) {
    @Override
    public String toString() {
      return why == null ? param : param + " (" + why + ")";
    }
  }

  private ApiParameters() {}

  /**
   * One request's checks against a route's deployments. What needs the request's JSON read (its
   * schemas, its content parts) depends only on the API, so it is done once per API, however many
   * deployments of it the route has.
   */
  public static final class Check {
    private final LlmRequest request;
    private final List<String> set;
    private final Map<String, List<Refused>> byApi = new HashMap<>();

    public Check(LlmRequest request) {
      this.request = request;
      this.set = set(request.getParams());
    }

    /**
     * What the request sets that {@code deployment} (of {@code api}) does not honour: its
     * parameters, then its content parts.
     */
    public List<Refused> unsupported(String api, Deployment deployment) {
      Set<String> notTaken = NOT_TAKEN.getOrDefault(api, Set.of());
      List<Refused> out = new ArrayList<>();
      for (String name : set) {
        if (notTaken.contains(name) || deployment.unsupportedParams().contains(name)) {
          out.add(new Refused(name, null));
        }
      }
      return out.isEmpty() ? byApi.computeIfAbsent(api, this::apiRules) : out;
    }

    private List<Refused> apiRules(String api) {
      List<Refused> out = new ArrayList<>();
      if ("anthropic".equals(api)) {
        AnthropicParameters.refusals(request.getParams(), out);
      }
      if ("gemini".equals(api)) {
        GeminiParameters.refusals(request.getParams(), out);
      }
      if (out.isEmpty()) {
        ContentSupport.refusals(api, request.getMessages(), out);
      }
      return List.copyOf(out);
    }
  }

  /**
   * The parameters {@code params} asks something of. Parallel tool calls and no log probabilities
   * are every API's default, so only turning them off (or on) asks for something.
   */
  static List<String> set(GenerationParams params) {
    List<String> set = new ArrayList<>();
    addIf(set, "temperature", params.getTemperature() != null);
    addIf(set, "top_p", params.getTopP() != null);
    addIf(set, "stop", !params.getStop().isEmpty());
    addIf(set, "seed", params.getSeed() != null);
    addIf(set, "presence_penalty", params.getPresencePenalty() != null);
    addIf(set, "frequency_penalty", params.getFrequencyPenalty() != null);
    addIf(set, "response_format", params.getResponseFormatJson() != null);
    addIf(set, "tools", params.getToolsJson() != null);
    addIf(set, "n", params.getN() != null && params.getN() > 1);
    addIf(set, "tool_choice", params.getToolChoiceJson() != null);
    addIf(set, "parallel_tool_calls", Boolean.FALSE.equals(params.getParallelToolCalls()));
    addIf(set, "reasoning_effort", params.getReasoningEffort() != null);
    addIf(set, "logprobs", Boolean.TRUE.equals(params.getLogprobs()));
    addIf(set, "top_logprobs", params.getTopLogprobs() != null);
    addIf(set, "service_tier", params.getServiceTier() != null);
    return set;
  }

  private static void addIf(List<String> set, String name, boolean isSet) {
    if (isSet) {
      set.add(name);
    }
  }
}
