package dev.tollgate.formats;

import dev.tollgate.platform.http.OpenAiError;

/** A request body Tollgate refuses, with the OpenAI error that says why. */
public final class InvalidRequest extends Exception {

  private final transient OpenAiError error;

  public InvalidRequest(OpenAiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public static InvalidRequest of(String message, String param) {
    return new InvalidRequest(OpenAiError.invalidRequest(message, param));
  }

  public OpenAiError error() {
    return error;
  }
}
