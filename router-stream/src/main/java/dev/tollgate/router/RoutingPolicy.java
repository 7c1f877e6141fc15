package dev.tollgate.router;

import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.RoutedRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Decides where a request goes. For now a static route table: the route's deployments in the
 * catalog's order, the first as primary and the rest as the fallback chain. Requests that can never
 * succeed (unknown model, no messages, deadline already past) are answered here with a typed error,
 * so no provider is paid for them.
 */
final class RoutingPolicy {

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool");

  private final ModelCatalog catalog;

  RoutingPolicy(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  RouteDecision decide(LlmRequest request, Instant now) {
    if (!request.getDeadlineAt().isAfter(now)) {
      return reject(
          request,
          504,
          "timeout_error",
          "deadline_exceeded",
          "the request's deadline passed before it was routed",
          null,
          now);
    }
    String invalid = invalidMessages(request.getMessages());
    if (invalid != null) {
      return reject(request, 400, "invalid_request_error", null, invalid, "messages", now);
    }
    Route route = catalog.route(request.getModel()).orElse(null);
    if (route == null) {
      return reject(
          request,
          404,
          "invalid_request_error",
          "model_not_found",
          "The model '"
              + request.getModel()
              + "' does not exist. Available models: "
              + String.join(", ", catalog.models()),
          "model",
          now);
    }
    List<Deployment> candidates = catalog.candidates(route);
    Integer maxTokens = request.getParams().getMaxTokens();
    if (maxTokens != null && maxTokens < 1) {
      return reject(
          request,
          400,
          "invalid_request_error",
          null,
          "max_tokens must be at least 1",
          "max_tokens",
          now);
    }
    List<DeploymentRef> plan = candidates.stream().map(Deployment::ref).toList();
    RoutedRequest routed =
        RoutedRequest.newBuilder()
            .setRequest(request)
            .setPlan(plan)
            .setStep(0)
            .setRouteReason(
                route.strategy()
                    + ": "
                    + plan.get(0).getDeploymentId()
                    + " first of "
                    + plan.size())
            .setRoutedAt(now)
            .build();
    return new RouteDecision.Routed(routed, plan.get(0).getProvider());
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

  private static RouteDecision reject(
      LlmRequest request,
      int status,
      String type,
      String code,
      String message,
      String param,
      Instant now) {
    ReplyError error = Replies.errorOf(status, type, code, message, param);
    return new RouteDecision.Rejected(request, Replies.error(request, error, List.of(), now));
  }
}
