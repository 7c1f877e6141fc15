package dev.tollgate.router;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.platform.replies.ReplyPolicy;
import dev.tollgate.platform.usage.UsageEvents;
import dev.tollgate.router.governance.Admission;
import dev.tollgate.router.governance.BudgetLedger;
import dev.tollgate.router.governance.Governance;
import dev.tollgate.router.governance.RateLimits;
import dev.tollgate.router.governance.StoreMap;
import dev.tollgate.schemas.CachedReply;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One request through the router, with the Streams clock: who sent it and whether they may use the
 * model ({@link Admission}); whether it may be served at all ({@link Screening}: its reply topic,
 * its fields, its id); where it would go ({@link RoutingPolicy}); the key's and team's rate limits;
 * the team's exact cache (a fresh reply answers it at no cost); and last the budget reservation of
 * its worst-case cost. Only then is it routed, with its cache key so the worker that serves it
 * fills the cache.
 */
final class RouteProcessor
    implements FixedKeyProcessor<String, RequestIntake.Intake, RouteDecision> {

  /** How long after its deadline a request's reservation is released if nothing settled it. */
  static final Duration RESERVATION_GRACE = Duration.ofMinutes(5);

  private final String service;
  private final RoutingPolicy policy;
  private final ReplyPolicy replyPolicy;
  private final RouterTopology.Checks checks;
  private final GatewayConfigView config;
  private final Admission admission;
  private final Governance governance;
  private FixedKeyProcessorContext<String, RouteDecision> context;
  private Screening screening;
  private KeyValueStore<String, CachedReply> cache;
  private RateLimits rateLimits;
  private BudgetLedger ledger;

  RouteProcessor(
      String service,
      RoutingPolicy policy,
      ReplyPolicy replyPolicy,
      RouterTopology.Checks checks,
      GatewayConfigView config) {
    this.service = service;
    this.policy = policy;
    this.replyPolicy = replyPolicy;
    this.checks = checks;
    this.config = config;
    this.admission = new Admission(config);
    this.governance = new Governance(config);
  }

  @Override
  public void init(FixedKeyProcessorContext<String, RouteDecision> context) {
    this.context = context;
    this.cache = context.getStateStore(RouterStores.CACHE);
    this.screening =
        new Screening(
            service,
            replyPolicy,
            checks,
            config,
            new SeenRequests(
                context.getStateStore(RouterStores.SEEN_REQUESTS),
                SeenRequests.retention(checks.maxRequestTimeout())));
    this.rateLimits =
        new RateLimits(new StoreMap<>(context.getStateStore(RouterStores.RATE_LIMITS)));
    this.ledger = RouterStores.budgetLedger(context);
  }

  @Override
  public void process(FixedKeyRecord<String, RequestIntake.Intake> record) {
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    LlmRequest sent = record.value().decoded().value();
    Admission.Result admitted =
        admission.admit(record.key(), record.value().credential(), sent, now);
    Screening.Outcome screened =
        screening.screen(record, context.recordMetadata().orElseThrow(), admitted, now);
    if (screened.request() == null) {
      return; // a replay of a request already taken: it is answered once, from the first
    }
    RouteDecision decision =
        screened.decision().orElseGet(() -> policy.decide(screened.request(), now));
    if (decision instanceof RouteDecision.Routed routed) {
      decision = govern(routed, admitted.key(), now);
    }
    context.forward(record.withValue(decision));
  }

  private RouteDecision govern(RouteDecision.Routed routed, ApiKey key, Instant now) {
    LlmRequest request = routed.request().getRequest();
    RateLimits.Verdict limited =
        rateLimits.admit(governance.rateScopes(key), routed.tokens(), now.toEpochMilli());
    if (!limited.admitted()) {
      ReplyError error =
          Replies.errorOf(429, "rate_limit_error", "rate_limit_exceeded", limited.message(), null);
      error.setRetryAfterMs(limited.retryAfterMs());
      error.setHeaders(limited.headers());
      return reject(request, error, now);
    }
    Route route = config.catalog().route(request.getModel()).orElseThrow();
    RouteDecision decision = withCache(routed, route, now);
    if (!(decision instanceof RouteDecision.Routed admittedRoute)) {
      return decision;
    }
    List<BudgetLedger.Cap> caps = governance.caps(key);
    if (caps.isEmpty()) {
      return admittedRoute;
    }
    Optional<String> overBudget =
        ledger.reserve(
            request.getRequestId(),
            governance.payer(key.teamId(), key.id()),
            caps,
            admittedRoute.worstCaseMicros(),
            now,
            request.getDeadlineAt().plus(RESERVATION_GRACE));
    if (overBudget.isPresent()) {
      return reject(
          request,
          Replies.errorOf(429, "insufficient_quota", "budget_exceeded", overBudget.get(), null),
          now);
    }
    return admittedRoute;
  }

  private static RouteDecision reject(LlmRequest request, ReplyError error, Instant now) {
    return new RouteDecision.Rejected(request, Replies.error(request, error, List.of(), now));
  }

  private RouteDecision withCache(RouteDecision.Routed routed, Route route, Instant now) {
    LlmRequest request = routed.request().getRequest();
    Optional<CachePolicy.Cacheable> cacheable;
    try {
      cacheable = CachePolicy.of(request, route);
    } catch (IllegalArgumentException e) {
      return reject(
          request,
          Replies.errorOf(400, "invalid_request_error", null, e.getMessage(), "metadata"),
          now);
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
    return routed.with(
        RoutedRequest.newBuilder(routed.request())
            .setCacheKey(cacheable.get().key())
            .setCacheTtlS(cacheable.get().ttlSeconds())
            .build());
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
        UsageEvents.of(
                request,
                "cache-" + request.getRequestId(),
                UsageKind.CACHE_HIT,
                original.getProvider() == null ? "cache" : original.getProvider(),
                original.getDeploymentId() == null ? "cache" : original.getDeploymentId(),
                original.getCompletion() != null
                    ? original.getCompletion().getModel()
                    : original.getEmbeddings().getModel(),
                now)
            .setPriceVersion("cache")
            .build();
    return new RouteDecision.Cached(request, reply, usage);
  }
}
