package dev.tollgate.platform.http;

/**
 * A call refused with an OpenAI error: thrown by blocking handler code to the code that answers.
 */
public final class Refused extends RuntimeException {

  private final transient OpenAiError error;

  public Refused(OpenAiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public OpenAiError error() {
    return error;
  }
}
