package dev.tollgate.platform.serde;

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

  /** The HTTP status, or -1 when the registry was not reached. */
  public int status() {
    return status;
  }
}
