package dev.tollgate.router;

import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.schemas.CachedReply;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.TokenUsage;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Wires {@link RoutingPolicy} and the team's exact cache into the topology with the Streams clock:
 * a request the policy would route is answered from the cache when a fresh reply is there, and
 * otherwise routed with its cache key, so the worker that serves it fills the cache.
 */
final class RouteProcessor implements FixedKeyProcessor<String, LlmRequest, RouteDecision> {

  private final RoutingPolicy policy;
  private final ModelCatalog catalog;
  private FixedKeyProcessorContext<String, RouteDecision> context;
  private KeyValueStore<String, CachedReply> cache;

  RouteProcessor(RoutingPolicy policy, ModelCatalog catalog) {
    this.policy = policy;
    this.catalog = catalog;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, RouteDecision> context) {
    this.context = context;
    this.cache = context.getStateStore(RouterTopology.CACHE_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, LlmRequest> record) {
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    LlmRequest request = record.value();
    RouteDecision decision = policy.decide(request, now);
    if (decision instanceof RouteDecision.Routed routed) {
      decision = withCache(routed, catalog.route(request.getModel()).orElseThrow(), now);
    }
    context.forward(record.withValue(decision));
  }

  private RouteDecision withCache(RouteDecision.Routed routed, Route route, Instant now) {
    LlmRequest request = routed.request().getRequest();
    Optional<CachePolicy.Cacheable> cacheable;
    try {
      cacheable = CachePolicy.of(request, route);
    } catch (IllegalArgumentException e) {
      return new RouteDecision.Rejected(
          request,
          Replies.error(
              request,
              Replies.errorOf(400, "invalid_request_error", null, e.getMessage(), "metadata"),
              List.of(),
              now));
    }
    if (cacheable.isEmpty()) {
      return routed;
    }
    CachedReply hit = cache.get(cacheable.get().key());
    if (hit != null
        && hit.getExpiresAt().isAfter(now)
        && !"bypass".equals(request.getMetadata().get(CachePolicy.CACHE))) {
      return answered(request, hit, now);
    }
    RoutedRequest withKey =
        RoutedRequest.newBuilder(routed.request())
            .setCacheKey(cacheable.get().key())
            .setCacheTtlS(cacheable.get().ttlSeconds())
            .build();
    return new RouteDecision.Routed(withKey, routed.provider());
  }

  private static RouteDecision answered(LlmRequest request, CachedReply hit, Instant now) {
    LlmReply original = hit.getReply();
    LlmReply reply =
        LlmReply.newBuilder(original)
            .setRequestId(request.getRequestId())
            .setTeamId(request.getTeamId())
            .setCostMicros(0)
            .setLatencyMs(0)
            .setAttempts(List.of())
            .setCacheHit(true)
            .setRouteReason(
                "cache hit: stored " + hit.getStoredAt() + ", expires " + hit.getExpiresAt())
            .setRepliedAt(now)
            .build();
    UsageEvent usage =
        UsageEvent.newBuilder()
            .setCallId("cache-" + request.getRequestId())
            .setRequestId(request.getRequestId())
            .setTeamId(request.getTeamId())
            .setKeyId(request.getKeyId())
            .setKind(UsageKind.CACHE_HIT)
            .setModel(request.getModel())
            .setProvider(original.getProvider() == null ? "cache" : original.getProvider())
            .setDeploymentId(
                original.getDeploymentId() == null ? "cache" : original.getDeploymentId())
            .setProviderModel(original.getCompletion().getModel())
            .setUsage(TokenUsage.newBuilder().build())
            .setCostMicros(0)
            .setPriceVersion("cache")
            .setAttempt(0)
            .setOccurredAt(now)
            .build();
    return new RouteDecision.Cached(request, reply, usage);
  }
}
