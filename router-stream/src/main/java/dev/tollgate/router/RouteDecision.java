package dev.tollgate.router;

import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.UsageEvent;

/** What the router does with one request. */
sealed interface RouteDecision {

  /**
   * Send {@code request} to {@code provider}'s topic.
   *
   * @param worstCaseMicros the most the request can cost on any deployment of its plan
   * @param tokens estimated prompt tokens plus the output cap at the primary deployment
   */
  record Routed(RoutedRequest request, String provider, long worstCaseMicros, long tokens)
      implements RouteDecision {

    Routed with(RoutedRequest changed) {
      return new Routed(changed, provider, worstCaseMicros, tokens);
    }
  }

  /** Answer {@code request} at once with {@code reply} (an error), calling no provider. */
  record Rejected(LlmRequest request, LlmReply reply) implements RouteDecision {}

  /** Answer {@code request} from the team's cache, and record the hit (at no cost). */
  record Cached(LlmRequest request, LlmReply reply, UsageEvent usage) implements RouteDecision {}
}
