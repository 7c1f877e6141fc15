package dev.tollgate.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway keys a service accepts, by hash, from {@code gateway.keys} (a list of {@code {id,
 * team, secret_sha256}}) plus the analyst/admin token {@code gateway.admin-token-sha256}. Lookups
 * hash the presented secret, so secrets are never held in memory beyond a request.
 */
public final class GatewayKeys {

  private final Map<String, ApiKey> byHash;
  private final Optional<String> adminTokenHash;

  private GatewayKeys(Map<String, ApiKey> byHash, Optional<String> adminTokenHash) {
    this.byHash = Map.copyOf(byHash);
    this.adminTokenHash = adminTokenHash;
  }

  public static GatewayKeys from(Settings settings) {
    Map<String, ApiKey> byHash = new HashMap<>();
    JsonNode keys = settings.section("gateway.keys");
    if (!keys.isNull() && !keys.isArray()) {
      throw new ConfigException("gateway.keys: expected a list of {id, team, secret_sha256}");
    }
    int index = 0;
    for (JsonNode key : keys) {
      String where = "gateway.keys[" + index++ + "]";
      String hash = required(key, "secret_sha256", where);
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new ConfigException(where + ".secret_sha256: expected 64 lowercase hex characters");
      }
      byHash.put(hash, new ApiKey(required(key, "id", where), required(key, "team", where)));
    }
    return new GatewayKeys(byHash, settings.find("gateway.admin-token-sha256"));
  }

  /** A copy that also accepts {@code secret} as key {@code id} of {@code team}. */
  public GatewayKeys with(String id, String team, String secret) {
    Map<String, ApiKey> next = new HashMap<>(byHash);
    next.put(KeyHash.sha256(secret), new ApiKey(id, team));
    return new GatewayKeys(next, adminTokenHash);
  }

  /** A copy whose admin token is {@code token}. */
  public GatewayKeys withAdminToken(String token) {
    return new GatewayKeys(byHash, Optional.of(KeyHash.sha256(token)));
  }

  /** The key whose secret is {@code secret}, if any. */
  public Optional<ApiKey> authenticate(String secret) {
    return authenticateHash(KeyHash.sha256(secret));
  }

  /** The key whose secret hashes to {@code hash}, if any. */
  public Optional<ApiKey> authenticateHash(String hash) {
    return Optional.ofNullable(byHash.get(hash));
  }

  /** Whether {@code token} is the admin token. */
  public boolean isAdmin(String token) {
    return adminTokenHash.map(h -> KeyHash.matches(h, KeyHash.sha256(token))).orElse(false);
  }

  /** The secret of an {@code Authorization: Bearer <secret>} header, if it is one. */
  public static Optional<String> bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String secret = authorization.substring(7).trim();
    return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
  }

  private static String required(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new ConfigException(where + "." + field + ": required");
    }
    return value.asText();
  }
}
