package dev.tollgate.workers.adapter;

import java.util.Set;

/**
 * The one table that decides whether a failed call is worth trying again on the same deployment:
 * rate limits (except quota and spend limits, which waiting does not fix), server errors
 * 500/502/503/504, Anthropic's 529 overload, timeouts and connection errors. Never other 4xx: the
 * same request would fail the same way.
 */
public final class RetryClassifier {

  private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 500, 502, 503, 504, 529);
  private static final Set<String> NOT_A_RATE_LIMIT =
      Set.of(
          "insufficient_quota",
          "billing_hard_limit_reached",
          "spend_limit_exceeded",
          "billing_not_active");

  /**
   * A well-formed answer whose finish reason Tollgate does not know: it would come back the same.
   */
  public static final String UNKNOWN_FINISH_REASON = "unknown_finish_reason";

  /** The deployment's circuit is open: no call was made; the next deployment should be tried. */
  public static final String CIRCUIT_OPEN = "circuit_open";

  /** The request's deadline passed: nothing more is worth trying. */
  public static final String DEADLINE_EXCEEDED = "deadline_exceeded";

  private static final Set<String> NEVER_RETRIED =
      Set.of(UNKNOWN_FINISH_REASON, CIRCUIT_OPEN, DEADLINE_EXCEEDED);

  private RetryClassifier() {}

  public static boolean isRetryable(ProviderResult.Failure failure) {
    if (failure.status() == 0) {
      return true;
    }
    if (failure.code() != null && NEVER_RETRIED.contains(failure.code())) {
      return false;
    }
    if (!RETRYABLE_STATUS.contains(failure.status())) {
      return false;
    }
    return failure.status() != 429
        || !(isSpendLimit(failure.code()) || isSpendLimit(failure.type()));
  }

  private static boolean isSpendLimit(String codeOrType) {
    // Set.of(...).contains(null) throws: most failures carry no code.
    return codeOrType != null && NOT_A_RATE_LIMIT.contains(codeOrType);
  }

  /**
   * Whether the failure is the request's own fault, so that no other deployment would do better (it
   * gets no fallback, and its message goes back to the client).
   */
  public static boolean isClientError(int status) {
    return status == 400 || status == 404 || status == 413 || status == 422;
  }
}
