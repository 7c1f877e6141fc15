package dev.tollgate.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.LlmRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which requests the exact cache may answer, and under which key. Cached by default: requests with
 * {@code temperature: 0}; {@code tollgate.cache: on} in the metadata opts any request in, {@code
 * bypass} (or {@code off}) opts it out. The time to live is {@code tollgate.cache_ttl_s} (at most a
 * week), else the route's {@code cache_ttl_s}; 0 turns caching off. The key is the SHA-256 of the
 * team and the normalised request (model, messages or embedding input, every parameter), so a team
 * never sees another team's answers.
 */
final class CachePolicy {

  static final String CACHE = "tollgate.cache";
  static final String TTL = "tollgate.cache_ttl_s";
  static final int MAX_TTL_SECONDS = 7 * 24 * 3600;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A cacheable request: its key and how long its reply may be kept. */
  record Cacheable(String key, int ttlSeconds) {}

  private CachePolicy() {}

  /** Throws IllegalArgumentException naming a malformed cache setting. */
  static Optional<Cacheable> of(LlmRequest request, Route route) {
    String mode = request.getMetadata().getOrDefault(CACHE, "auto");
    if (!List.of("auto", "on", "off", "bypass").contains(mode)) {
      throw new IllegalArgumentException(CACHE + " must be on, off or bypass");
    }
    Double temperature = request.getParams().getTemperature();
    boolean wanted =
        "on".equals(mode) || ("auto".equals(mode) && temperature != null && temperature == 0.0);
    int ttl = ttl(request.getMetadata().get(TTL), route.cacheTtlSeconds());
    if (!wanted || ttl == 0) {
      return Optional.empty();
    }
    return Optional.of(new Cacheable(key(request), ttl));
  }

  private static int ttl(String requested, int routeDefault) {
    if (requested == null) {
      return routeDefault;
    }
    try {
      int ttl = Integer.parseInt(requested.trim());
      if (ttl < 0 || ttl > MAX_TTL_SECONDS) {
        throw new NumberFormatException();
      }
      return ttl;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          TTL + " must be whole seconds from 0 to " + MAX_TTL_SECONDS);
    }
  }

  static String key(LlmRequest request) {
    Map<String, Object> material = new LinkedHashMap<>();
    material.put("team", request.getTeamId());
    material.put("model", request.getModel());
    List<Object> messages = new ArrayList<>();
    for (ChatMessage m : request.getMessages()) {
      messages.add(m.toString());
    }
    material.put("messages", messages);
    material.put("params", request.getParams().toString());
    if (request.getEmbedding() != null) {
      material.put("embedding", request.getEmbedding().toString());
    }
    try {
      return KeyHash.sha256(JSON.writeValueAsString(material));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot normalise a request for its cache key", e);
    }
  }
}
