package dev.tollgate.router;

import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;

/** What the router does with one request: route it to a provider, or answer it with an error. */
sealed interface RouteDecision {

  /** Send {@code request} to {@code provider}'s topic. */
  record Routed(RoutedRequest request, String provider) implements RouteDecision {}

  /** Answer {@code request} at once with {@code reply} (an error), calling no provider. */
  record Rejected(LlmRequest request, LlmReply reply) implements RouteDecision {}
}
