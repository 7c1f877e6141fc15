package dev.tollgate.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security of an embedded test broker: TLS with a key store and trust store (PKCS12, one
 * password), SASL/PLAIN users and their passwords, and the one super user the tests administer it
 * as.
 *
 * @param keystore the broker's certificate and key
 * @param truststore what clients (and the broker, as its own client) trust
 * @param storePassword the password of both stores
 * @param users user name to password, the super user among them
 * @param admin the super user
 */
public record BrokerSecurity(
    Path keystore, Path truststore, String storePassword, Map<String, String> users, String admin) {

  public BrokerSecurity {
    users = Map.copyOf(users);
    if (!users.containsKey(admin)) {
      throw new IllegalArgumentException("the super user " + admin + " needs a password");
    }
  }

  /** The broker's listener, TLS, SASL and authorizer settings for its two ports. */
  Map<String, String> brokerProperties(int port, int controllerPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(
        "listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "SASL_SSL");
    p.put("sasl.enabled.mechanisms", "PLAIN");
    p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
            .append(" username=\"")
            .append(admin)
            .append("\" password=\"")
            .append(users.get(admin))
            .append('"');
    users.forEach(
        (user, password) ->
            jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
    p.put("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.append(';').toString());
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.key.password", storePassword);
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", storePassword);
    p.put("ssl.truststore.type", "PKCS12");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + admin + ";User:ANONYMOUS");
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /** The client properties of {@code user}: SASL_SSL, PLAIN, its password, the trust store. */
  public Map<String, String> clientProperties(String user) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", plainLogin(user, users.getOrDefault(user, "")));
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", storePassword);
    p.put("ssl.truststore.type", "PKCS12");
    return p;
  }

  /** A client's {@code sasl.jaas.config} for SASL/PLAIN as {@code user}. */
  public static String plainLogin(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }
}
