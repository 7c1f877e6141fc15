package dev.tollgate.router;

import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.UsageEvent;
import java.util.Optional;

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

  /**
   * Answer {@code request} at once with {@code reply} (an error), calling no provider; a bad record
   * is also dead-lettered ({@code letter}).
   */
  record Rejected(LlmRequest request, LlmReply reply, Optional<DeadLetter> letter)
      implements RouteDecision {

    Rejected(LlmRequest request, LlmReply reply) {
      this(request, reply, Optional.empty());
    }
  }

  /**
   * Dead-letter a request that cannot be answered: no valid key, or a reply topic its team may not
   * use or that cannot be written. Nothing is written to the topic it names.
   */
  record DeadLettered(DeadLetter letter) implements RouteDecision {}

  /** Answer {@code request} from the team's cache, and record the hit (at no cost). */
  record Cached(LlmRequest request, LlmReply reply, UsageEvent usage) implements RouteDecision {}
}
