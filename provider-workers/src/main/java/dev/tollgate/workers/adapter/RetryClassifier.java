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

  /** The code of a well-formed answer whose finish reason Tollgate does not know. */
  public static final String UNKNOWN_FINISH_REASON = "unknown_finish_reason";

  private RetryClassifier() {}

  public static boolean isRetryable(ProviderResult.Failure failure) {
    if (failure.status() == 0) {
      return true;
    }
    if (UNKNOWN_FINISH_REASON.equals(failure.code())) {
      // A response we cannot interpret would come back the same way: try another deployment.
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
