package dev.tollgate.core.config;

/** A configuration value is missing or wrong; the message names the key. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
