package dev.tollgate.embedded.registry;

/** A schema the subject's compatibility level refuses. */
public final class IncompatibleSchemaException extends RuntimeException {

  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
