package dev.tollgate.workers.adapter;

import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.TokenUsage;

/** What came back from one provider call, in Tollgate's terms. */
public sealed interface ProviderResult {

  /** A completion, with usage already in Tollgate's disjoint token buckets. */
  record Success(Completion completion, TokenUsage usage) implements ProviderResult {}

  /**
   * A failed call.
   *
   * @param status the HTTP status, or 0 when no response arrived (timeout, connection error)
   * @param type the provider's error type, or Tollgate's when it had none
   * @param code the provider's error code, if any
   * @param message what went wrong, fit for an operator (never containing the provider key)
   */
  record Failure(int status, String type, String code, String message) implements ProviderResult {}
}
