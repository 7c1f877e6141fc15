package dev.tollgate.workers.adapter;

import dev.tollgate.schemas.Completion;
import dev.tollgate.schemas.Embeddings;
import dev.tollgate.schemas.TokenUsage;
import java.net.ConnectException;
import java.time.Duration;

/** What came back from one provider call, in Tollgate's terms. */
public sealed interface ProviderResult {

  /**
   * A completion or, for an embeddings request, embeddings (the other null), with usage already in
   * Tollgate's disjoint token buckets.
   */
  record Success(Completion completion, Embeddings embeddings, TokenUsage usage)
      implements ProviderResult {

    public static Success of(Completion completion, TokenUsage usage) {
      return new Success(completion, null, usage);
    }

    public static Success of(Embeddings embeddings, TokenUsage usage) {
      return new Success(null, embeddings, usage);
    }
  }

  /**
   * A failed call.
   *
   * @param status the HTTP status, or 0 when no response arrived (timeout, connection error)
   * @param type the provider's error type, or Tollgate's when it had none
   * @param code the provider's error code, if any
   * @param message what went wrong, fit for an operator (never containing the provider key)
   * @param retryAfter how long the provider asked us to wait, {@link Duration#ZERO} if it did not
   */
  record Failure(int status, String type, String code, String message, Duration retryAfter)
      implements ProviderResult {

    public Failure(int status, String type, String code, String message) {
      this(status, type, code, message, Duration.ZERO);
    }

    /** A response whose body is not JSON: a broken provider or a proxy's error page. */
    public static Failure notJson(int status, Duration retryAfter) {
      return new Failure(
          status / 100 == 2 ? 502 : status,
          "invalid_response",
          null,
          "provider answered HTTP " + status + " with a body that is not JSON",
          retryAfter);
    }

    /**
     * The provider's own error answer; a 2xx that carries an error counts as a bad gateway, and an
     * error without a message gets one naming the status.
     */
    public static Failure upstream(
        int status, String type, String code, String message, Duration retryAfter) {
      return new Failure(
          status / 100 == 2 ? 502 : status,
          type,
          code,
          message == null ? "provider answered HTTP " + status : message,
          retryAfter);
    }

    /** A well-formed answer whose finish reason Tollgate does not know. */
    public static Failure unknownFinishReason(String reason) {
      return new Failure(
          502,
          "invalid_response",
          RetryClassifier.UNKNOWN_FINISH_REASON,
          "unknown finish reason '" + reason + "'");
    }

    /** No response at all: a timeout or a connection error. */
    public static Failure noResponse(String type, String message) {
      return new Failure(0, type, null, message);
    }

    /** The type of a failure to connect at all: the request never left. */
    public static final String NOT_CONNECTED = "not_connected";

    /** No response: {@link #NOT_CONNECTED} if {@code error} is a failure to connect. */
    public static Failure noResponse(Throwable error) {
      Throwable cause = error;
      while (cause != null && !(cause instanceof ConnectException)) {
        cause = cause.getCause();
      }
      return noResponse(cause != null ? NOT_CONNECTED : "connection_error", error.toString());
    }

    /** Whether the request never reached the provider (so it cannot have been billed). */
    public boolean notSent() {
      return status == 0 && NOT_CONNECTED.equals(type);
    }
  }
}
