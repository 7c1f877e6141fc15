package dev.tollgate.core.serde;

/** The schema registry refused a call or could not be reached. */
public final class SchemaRegistryException extends RuntimeException {

  private final int status;

  public SchemaRegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  /**
   * Whether the registry could not answer (unreachable, timed out, overloaded, failing) rather than
   * answering no: a record whose schema it could not give is not poison, only early.
   */
  public boolean isOutage() {
    return status < 0 || status == 408 || status == 429 || status >= 500;
  }

  /** The HTTP status, or -1 when the registry was not reached. */
  public int status() {
    return status;
  }
}
