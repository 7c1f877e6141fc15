package dev.tollgate.client;

import dev.tollgate.schemas.ReplyError;

/**
 * An error reply from the gateway, or no reply in time. Each kind of error has its own type, so a
 * job can retry what is worth retrying and stop on what is not.
 */
public class TollgateException extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;

  TollgateException(int status, String type, String code, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  /** The HTTP status the error maps to, as the OpenAI-compatible API would answer it. */
  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** The error code, e.g. {@code budget_exceeded}; may be null. */
  public String code() {
    return code;
  }

  /** The exception for an error reply. */
  static TollgateException of(ReplyError e) {
    int s = e.getHttpStatus();
    String code = e.getCode();
    String m = e.getMessage();
    if (s == 401) {
      return new AuthenticationException(s, e.getType(), code, m);
    }
    if (s == 403) {
      return new PermissionDeniedException(s, e.getType(), code, m);
    }
    if (s == 404) {
      return new NotFoundException(s, e.getType(), code, m);
    }
    if (s == 429 && "budget_exceeded".equals(code)) {
      return new BudgetExceededException(s, e.getType(), code, m);
    }
    if (s == 429) {
      return new RateLimitException(s, e.getType(), code, m, e.getRetryAfterMs());
    }
    if (s == 504) {
      return new DeadlineExceededException(m);
    }
    if (s >= 500) {
      return new UpstreamException(s, e.getType(), code, m);
    }
    return new InvalidRequestException(s, e.getType(), code, m);
  }

  /** The key is missing, unknown, revoked or expired (401). */
  public static final class AuthenticationException extends TollgateException {
    AuthenticationException(int status, String type, String code, String message) {
      super(status, type, code, message);
    }
  }

  /** The key may not use the model (403). */
  public static final class PermissionDeniedException extends TollgateException {
    PermissionDeniedException(int status, String type, String code, String message) {
      super(status, type, code, message);
    }
  }

  /** No such model or alias (404). */
  public static final class NotFoundException extends TollgateException {
    NotFoundException(int status, String type, String code, String message) {
      super(status, type, code, message);
    }
  }

  /** The request is malformed or its constraints cannot be met (400). */
  public static final class InvalidRequestException extends TollgateException {
    InvalidRequestException(int status, String type, String code, String message) {
      super(status, type, code, message);
    }
  }

  /** Over a rate limit (429): retry after {@link #retryAfterMs()}. */
  public static final class RateLimitException extends TollgateException {
    private final Long retryAfterMs;

    RateLimitException(int status, String type, String code, String message, Long retryAfterMs) {
      super(status, type, code, message);
      this.retryAfterMs = retryAfterMs;
    }

    /** When to try again, in ms; null if the gateway did not say. */
    public Long retryAfterMs() {
      return retryAfterMs;
    }
  }

  /** The team's or key's budget would be exceeded (429 {@code budget_exceeded}): do not retry. */
  public static final class BudgetExceededException extends TollgateException {
    BudgetExceededException(int status, String type, String code, String message) {
      super(status, type, code, message);
    }
  }

  /** No provider could serve the request (5xx). */
  public static final class UpstreamException extends TollgateException {
    UpstreamException(int status, String type, String code, String message) {
      super(status, type, code, message);
    }
  }

  /** No answer before the request's deadline (504, or no reply at all). */
  public static final class DeadlineExceededException extends TollgateException {
    DeadlineExceededException(String message) {
      super(504, "timeout_error", "deadline_exceeded", message);
    }
  }
}
