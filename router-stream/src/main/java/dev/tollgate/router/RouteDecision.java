package dev.tollgate.router;

import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.UsageEvent;

/** What the router does with one request. */
sealed interface RouteDecision {

  /** Send {@code request} to {@code provider}'s topic. */
  record Routed(RoutedRequest request, String provider) implements RouteDecision {}

  /** Answer {@code request} at once with {@code reply} (an error), calling no provider. */
  record Rejected(LlmRequest request, LlmReply reply) implements RouteDecision {}

  /** Answer {@code request} from the team's cache, and record the hit (at no cost). */
  record Cached(LlmRequest request, LlmReply reply, UsageEvent usage) implements RouteDecision {}
}
