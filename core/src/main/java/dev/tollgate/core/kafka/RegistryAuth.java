package dev.tollgate.core.kafka;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.util.Optional;

/**
 * How to authenticate to the schema registry, as Confluent's client does: HTTP basic auth ({@code
 * kafka.schema-registry.basic-auth-user-info}, {@code user:password}, Confluent's {@code
 * basic.auth.user.info}) or a bearer token ({@code kafka.schema-registry.bearer-auth-token},
 * Confluent's {@code bearer.auth.token}), and a trust store for a registry behind TLS with a
 * private CA ({@code kafka.schema-registry.ssl-truststore-location}, {@code -password}, {@code
 * -type}). Values may be {@code ${env:...}} or {@code ${file:...}} references.
 */
public record RegistryAuth(
    Optional<String> basicUserInfo,
    Optional<String> bearerToken,
    Optional<String> truststoreLocation,
    Optional<String> truststorePassword,
    String truststoreType) {

  public static RegistryAuth none() {
    return new RegistryAuth(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "PKCS12");
  }

  static RegistryAuth from(Settings settings) {
    Optional<String> basic = settings.find("kafka.schema-registry.basic-auth-user-info");
    Optional<String> bearer = settings.find("kafka.schema-registry.bearer-auth-token");
    if (basic.isPresent() && bearer.isPresent()) {
      throw new ConfigException(
          "kafka.schema-registry.basic-auth-user-info: set it or bearer-auth-token, not both");
    }
    if (basic.isPresent() && basic.get().indexOf(':') < 1) {
      throw new ConfigException(
          "kafka.schema-registry.basic-auth-user-info: expected user:password");
    }
    return new RegistryAuth(
        basic,
        bearer,
        settings.find("kafka.schema-registry.ssl-truststore-location"),
        settings.find("kafka.schema-registry.ssl-truststore-password"),
        settings.string("kafka.schema-registry.ssl-truststore-type", "PKCS12"));
  }

  @Override
  public String toString() {
    return "RegistryAuth["
        + (basicUserInfo.isPresent() ? "basic" : bearerToken.isPresent() ? "bearer" : "none")
        + (truststoreLocation.isPresent() ? ", truststore " + truststoreLocation.get() : "")
        + "]";
  }
}
