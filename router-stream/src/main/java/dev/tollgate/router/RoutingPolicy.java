package dev.tollgate.router;

import dev.tollgate.platform.catalog.ApiParameters;
import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.PriceCalculator;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.catalog.TokenEstimate;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.router.health.DeploymentHealth;
import dev.tollgate.router.health.HealthView;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.RoutedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Decides where a request goes. The route's deployments are narrowed by the request's constraints
 * (400 naming the constraint when none is left), then by health (a deployment whose worker reports
 * its circuit open, or with more than half of its recent calls failing, is left out: 503 with the
 * reasons when none is left), then ranked by the route's strategy on estimated cost (catalog
 * prices, estimated prompt tokens, the output cap) and recent latency. The first is the primary,
 * the rest the fallback chain; the reason is recorded on the plan.
 */
final class RoutingPolicy {

  static final double MAX_ERROR_RATE = 0.5;
  static final int PROBE_ONE_IN = 10;
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool");

  private final Supplier<ModelCatalog> catalogs;
  private final HealthView health;

  /**
   * @param catalogs the catalog in force (routes change at run time)
   */
  RoutingPolicy(Supplier<ModelCatalog> catalogs, HealthView health) {
    this.catalogs = catalogs;
    this.health = health;
  }

  /**
   * Where {@code request} goes, in steps: its deadline, its messages and output cap, its route, its
   * constraints, the deployments that meet them, those healthy now, their ranking. The first step
   * that refuses answers the request.
   */
  RouteDecision decide(LlmRequest request, Instant now) {
    try {
      ModelCatalog catalog = catalogs.get();
      checkDeadline(request, now);
      checkMessages(request);
      Route route = route(catalog, request);
      Constraints constraints = constraints(request);
      List<Candidate> allowed = meetingConstraints(catalog, route, constraints, request);
      Healthy healthy = healthy(route, allowed, constraints, request.getRequestId());
      return routed(request, route, healthy, now);
    } catch (Refusal r) {
      return new RouteDecision.Rejected(request, Replies.error(request, r.error, List.of(), now));
    }
  }

  /** Why a request is answered without being routed. */
  private static final class Refusal extends Exception {
    private final transient ReplyError error;

    Refusal(int status, String type, String code, String message, String param) {
      super(message, null, false, false);
      this.error = Replies.errorOf(status, type, code, message, param);
    }
  }

  /** The deployments left after the health check, and the one probed despite it (or null). */
  private record Healthy(List<Candidate> eligible, Candidate probe, List<String> unhealthy) {}

  private static void checkDeadline(LlmRequest request, Instant now) throws Refusal {
    if (!request.getDeadlineAt().isAfter(now)) {
      throw new Refusal(
          504,
          "timeout_error",
          "deadline_exceeded",
          "the request's deadline passed before it was routed",
          null);
    }
  }

  private static void checkMessages(LlmRequest request) throws Refusal {
    if (request.getEmbedding() != null) {
      return; // no messages: the validator checked its inputs
    }
    String invalid = invalidMessages(request.getMessages());
    if (invalid != null) {
      throw new Refusal(400, "invalid_request_error", null, invalid, "messages");
    }
    Integer maxTokens = request.getParams().getMaxTokens();
    if (maxTokens != null && maxTokens < 1) {
      throw new Refusal(
          400, "invalid_request_error", null, "max_tokens must be at least 1", "max_tokens");
    }
  }

  private static Route route(ModelCatalog catalog, LlmRequest request) throws Refusal {
    return catalog
        .route(request.getModel())
        .orElseThrow(
            () ->
                new Refusal(
                    404,
                    "invalid_request_error",
                    "model_not_found",
                    "The model '"
                        + request.getModel()
                        + "' does not exist. Available models: "
                        + String.join(", ", catalog.models()),
                    "model"));
  }

  private static Constraints constraints(LlmRequest request) throws Refusal {
    try {
      return Constraints.from(request.getMetadata());
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "invalid_request_error", null, e.getMessage(), "metadata");
    }
  }

  /** The route's deployments that meet the constraints, each with its estimated cost. */
  private List<Candidate> meetingConstraints(
      ModelCatalog catalog, Route route, Constraints constraints, LlmRequest request)
      throws Refusal {
    Integer maxTokens = request.getParams().getMaxTokens();
    Integer n = request.getParams().getN();
    boolean oneHourWrites =
        request.getMessages().stream().anyMatch(m -> "1h".equals(m.getCacheControl()));
    Map<String, Long> promptTokens = new HashMap<>();
    List<Candidate> allowed = new ArrayList<>();
    Set<String> broken = new LinkedHashSet<>();
    Map<String, List<ApiParameters.Refused>> refusedParams = new LinkedHashMap<>();
    ApiParameters.Check honoured = new ApiParameters.Check(request);
    boolean embeddings = request.getEmbedding() != null;
    boolean otherKind = false;
    List<Deployment> deployments = catalog.candidates(route);
    for (int i = 0; i < deployments.size(); i++) {
      Deployment d = deployments.get(i);
      if (d.servesEmbeddings() != embeddings) {
        otherKind = true;
        continue;
      }
      String why = constraints.broken(d);
      if (why != null) {
        broken.add(why);
        continue;
      }
      String api = catalog.provider(d.provider()).orElseThrow().api();
      List<ApiParameters.Refused> unsupported = honoured.unsupported(api, d);
      if (!unsupported.isEmpty()) {
        refusedParams.put(d.id() + " (" + api + ")", unsupported);
        continue;
      }
      long perChoice =
          embeddings
              ? 0
              : maxTokens != null
                  ? maxTokens
                  : route.defaultMaxTokens() != null
                      ? route.defaultMaxTokens()
                      : d.maxOutputTokens();
      // Each of n choices may write up to the cap; the prompt is read (and billed) once.
      long outputCap = perChoice * (n == null ? 1 : n);
      long prompt =
          promptTokens.computeIfAbsent(
              api + "/" + d.model(),
              k ->
                  embeddings
                      ? TokenEstimate.inputTokens(
                          request.getEmbedding().getInputs(), api, d.model())
                      : TokenEstimate.promptTokens(
                          request.getMessages(),
                          request.getParams().getToolsJson(),
                          api,
                          d.model()));
      allowed.add(
          new Candidate(
              d,
              i,
              PriceCalculator.worstCaseMicros(prompt, outputCap, d.price(), oneHourWrites),
              prompt + outputCap,
              health.of(d.id())));
    }
    if (allowed.isEmpty() && !refusedParams.isEmpty()) {
      throw unsupportedParameter(route, refusedParams);
    }
    if (allowed.isEmpty() && broken.isEmpty() && otherKind) {
      throw new Refusal(
          400,
          "invalid_request_error",
          "model_not_supported",
          embeddings
              ? "'" + route.model() + "' is not an embeddings model."
              : "'" + route.model() + "' is an embeddings model: send it to /v1/embeddings.",
          "model");
    }
    if (allowed.isEmpty()) {
      throw new Refusal(
          400,
          "invalid_request_error",
          "constraints_unmet",
          "No deployment of '"
              + route.model()
              + "' meets the request's constraints: "
              + String.join(", ", broken),
          "metadata");
    }
    return allowed;
  }

  /** No deployment of the route takes every parameter the request sets. */
  private static Refusal unsupportedParameter(
      Route route, Map<String, List<ApiParameters.Refused>> refused) {
    String param = refused.values().iterator().next().get(0).param();
    String which =
        refused.entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + " takes no "
                        + e.getValue().stream()
                            .map(ApiParameters.Refused::toString)
                            .collect(Collectors.joining(", ")))
            .collect(Collectors.joining("; "));
    return new Refusal(
        400,
        "invalid_request_error",
        "unsupported_parameter",
        "'"
            + param
            + "' is not supported by any deployment of '"
            + route.model()
            + "': "
            + which
            + ".",
        param);
  }

  private static Healthy healthy(
      Route route, List<Candidate> allowed, Constraints constraints, String requestId)
      throws Refusal {
    List<String> unhealthy = new ArrayList<>();
    List<Candidate> eligible = new ArrayList<>();
    Candidate probe = null;
    for (Candidate c : allowed) {
      String why = unhealthy(c, constraints);
      if (why == null) {
        eligible.add(c);
      } else {
        unhealthy.add(c.deployment().id() + " " + why);
        if (probe == null && isProbe(requestId)) {
          probe = c;
        }
      }
    }
    if (eligible.isEmpty() && probe == null) {
      throw new Refusal(
          503,
          "service_unavailable",
          "no_healthy_deployment",
          "No deployment of '"
              + route.model()
              + "' is healthy now: "
              + String.join("; ", unhealthy),
          null);
    }
    return new Healthy(eligible, probe, unhealthy);
  }

  /** The plan: the healthy deployments ranked, behind the probed one if any. */
  private static RouteDecision routed(
      LlmRequest request, Route route, Healthy healthy, Instant now) {
    List<Candidate> ranked =
        new ArrayList<>(Ranking.rank(route, healthy.eligible(), request.getRequestId()));
    List<String> unhealthy = new ArrayList<>(healthy.unhealthy());
    if (healthy.probe() != null) {
      // A small share of traffic still tries a deployment left out on health, first, with the
      // healthy ones behind it: that is how the router sees it recover.
      ranked.add(0, healthy.probe());
      unhealthy.add("probing " + healthy.probe().deployment().id());
    }
    List<DeploymentRef> plan = ranked.stream().map(c -> c.deployment().ref()).toList();
    long worstCase = ranked.stream().mapToLong(Candidate::costMicros).max().orElseThrow();
    RoutedRequest routed =
        RoutedRequest.newBuilder()
            .setRequest(request)
            .setPlan(plan)
            .setStep(0)
            .setRouteReason(reason(route, ranked, unhealthy))
            .setWorstCaseMicros(worstCase)
            .setRoutedAt(now)
            .build();
    return new RouteDecision.Routed(
        routed, plan.get(0).getProvider(), worstCase, ranked.get(0).tokens());
  }

  /** One request in {@value #PROBE_ONE_IN}, chosen by its id so that a replay chooses alike. */
  static boolean isProbe(String requestId) {
    return Math.floorMod(requestId.hashCode() * 31 + 17, PROBE_ONE_IN) == 0;
  }

  /** Why a deployment is left out on health, or null when it may be used. */
  private static String unhealthy(Candidate c, Constraints constraints) {
    if (c.health().isEmpty()) {
      return null;
    }
    DeploymentHealth h = c.health().get();
    if (h.circuitOpen()) {
      return "circuit open";
    }
    if (h.samples() >= Ranking.MIN_SAMPLES && h.errorRate() > MAX_ERROR_RATE) {
      return "failing " + Math.round(h.errorRate() * 100) + "% of recent calls";
    }
    if (constraints.latencyTargetMs() != null
        && h.samples() >= Ranking.MIN_SAMPLES
        && h.p95Ms() > constraints.latencyTargetMs()) {
      return "p95 " + h.p95Ms() + " ms over the " + constraints.latencyTargetMs() + " ms target";
    }
    return null;
  }

  private static String reason(Route route, List<Candidate> ranked, List<String> unhealthy) {
    String order = ranked.stream().map(Candidate::describe).collect(Collectors.joining(", then "));
    return route.strategy().label()
        + ": "
        + order
        + (unhealthy.isEmpty() ? "" : "; skipped " + String.join("; ", unhealthy));
  }

  private static String invalidMessages(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      return "messages must not be empty";
    }
    for (int i = 0; i < messages.size(); i++) {
      if (!ROLES.contains(messages.get(i).getRole())) {
        return "messages[" + i + "].role must be one of " + ROLES;
      }
    }
    return null;
  }
}
