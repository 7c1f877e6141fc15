package dev.tollgate.router;

import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.kafka.TopicProbe;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.platform.replies.ReplyPolicy;
import dev.tollgate.platform.streams.Addressed;
import dev.tollgate.platform.streams.TopicStreams;
import dev.tollgate.router.governance.Governance;
import dev.tollgate.router.health.HealthView;
import dev.tollgate.schemas.BudgetReservation;
import dev.tollgate.schemas.BudgetTally;
import dev.tollgate.schemas.CachedReply;
import dev.tollgate.schemas.InDoubtCall;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RateBucket;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The router: decides, per request, which provider serves it, or answers from the team's cache.
 *
 * <ul>
 *   <li>in: {@code llm-requests} and {@code llm-requests-bulk} (key: team id, value: {@link
 *       LlmRequest}), co-partitioned: one task routes a team's requests of both (decision 0018),
 *       interactive ones first when both wait ({@link BulkDeferral}, decision 0023)
 *   <li>in: {@code response-cache} (key: team id, value: {@link CachedReply}), co-partitioned with
 *       the requests, into the store {@value RouterStores#CACHE} (key: cache key)
 *   <li>in: {@code usage-events} (key: team id), co-partitioned with the requests: settles the
 *       budget reservations in {@value RouterStores#BUDGET_RESERVATIONS} and {@value
 *       RouterStores#BUDGET_TALLIES}, and follows announced calls until resolved in {@value
 *       RouterStores#IN_DOUBT_CALLS}
 *   <li>in: {@code gateway-config}: invalid records are dead-lettered ({@link ConfigAudit}); the
 *       configuration itself is read by the {@link GatewayConfigView} every router holds
 *   <li>out: {@code llm-requests-<provider>}, or {@code llm-requests-<provider>-bulk} for bulk
 *       requests (key: request id, value: {@link RoutedRequest})
 *   <li>out: the request's reply topic (key: request id, value: {@link LlmReply}) for cache hits
 *       and requests refused before routing (record key, model access, unknown model, invalid,
 *       constraints, health, deadline, rate limit, budget), once the key is valid and the reply
 *       topic is one the team may use and the router can write ({@link
 *       dev.tollgate.platform.replies.ReplyPolicy})
 *   <li>out: {@code usage-events} (key: team id, value: {@link UsageEvent}) for cache hits
 *   <li>out: {@code llm-requests-dlq} (key: source key, value: {@link DeadLetter}) for records that
 *       do not decode, requests without a valid key or with a reply topic that may not or cannot be
 *       written (these get no reply at all), and bad requests (also answered)
 * </ul>
 *
 * <p>No record leaves the router with a credential header: {@link RequestIntake} takes them off
 * every request first.
 */
public final class RouterTopology {

  public static final String SERVICE = "router";
  public static final String APPLICATION_ID = "tollgate-router";

  private RouterTopology() {}

  /**
   * What the router checks requests against beyond the gateway config.
   *
   * @param vouch verifies the signature of key hashes ingest-api vouched for
   * @param replyTopics tells whether a reply topic can be written
   * @param maxRequestTimeout the longest a request may wait for its reply; later deadlines are
   *     brought forward, and request ids are remembered this long (and the reservation grace)
   */
  public record Checks(Vouch vouch, TopicProbe replyTopics, Duration maxRequestTimeout) {}

  /**
   * @param checks the signature and reply-topic checks
   * @param cacheMaxEntries the most cached replies one task keeps (the ones expiring soonest go)
   * @param bulkDeferral how much later than interactive requests produced at the same time a task
   *     takes bulk ones ({@link BulkDeferral})
   */
  public static Topology build(
      Topics topics,
      GatewayConfigView config,
      AvroSerdes serdes,
      HealthView health,
      Checks checks,
      int cacheMaxEntries,
      Duration bulkDeferral) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(store(RouterStores.CACHE, serdes.of(CachedReply.class)));
    builder.addStateStore(cachedStore(RouterStores.RATE_LIMITS, serdes.of(RateBucket.class)));
    builder.addStateStore(cachedStore(RouterStores.BUDGET_TALLIES, serdes.of(BudgetTally.class)));
    builder.addStateStore(
        cachedStore(RouterStores.BUDGET_RESERVATIONS, serdes.of(BudgetReservation.class)));
    builder.addStateStore(cachedStore(RouterStores.IN_DOUBT_CALLS, serdes.of(InDoubtCall.class)));
    builder.addStateStore(
        Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                    RouterStores.SEEN_REQUESTS,
                    SeenRequests.retention(checks.maxRequestTimeout()),
                    Duration.ofMillis(1),
                    false),
                Serdes.String(),
                Serdes.String())
            .withCachingEnabled());
    RoutingPolicy policy = new RoutingPolicy(config::catalog, health);
    Governance governance = new Governance(config);
    TopicStreams streams = new TopicStreams(builder, topics, serdes, SERVICE);

    streams
        .decoded(topics.responseCache(), "cache")
        .processValues(
            () -> new CacheStore(cacheMaxEntries), Named.as("store-cache"), RouterStores.CACHE);

    // Poison usage events are the aggregator's to dead-letter; here they are only skipped.
    streams
        .decodedSkippingPoison(topics.usageEvents(), "usage")
        .processValues(
            () -> new SettleProcessor(governance),
            Named.as("settle-budgets"),
            RouterStores.BUDGET_TALLIES,
            RouterStores.BUDGET_RESERVATIONS,
            RouterStores.IN_DOUBT_CALLS);

    streams.deadLetters(
        streams
            .raw(topics.gatewayConfig(), "gateway-config")
            .processValues(
                () ->
                    new ConfigAudit(
                        SERVICE, serdes.on(topics.gatewayConfig()).values(), config.fileCatalog()),
                Named.as("audit-config")),
        "config");

    Map<String, KStream<String, RequestIntake.Intake>> intake =
        streams
            .raw(topics.requests(), "requests")
            .merge(
                streams.raw(topics.bulkRequests(), "bulk-requests", new BulkDeferral(bulkDeferral)),
                Named.as("all-requests"))
            .processValues(
                () ->
                    new RequestIntake(
                        SERVICE, serdes.on(topics.requests()).values(), checks.vouch()),
                Named.as("take-request"))
            .split(Named.as("request-"))
            .branch((key, in) -> !in.decoded().isOk(), Branched.as("poison"))
            .defaultBranch(Branched.as("ok"));
    streams.deadLetters(
        intake
            .get("request-poison")
            .mapValues(in -> in.decoded().deadLetter(), Named.as("request-to-letter")),
        "request");

    ReplyPolicy replyPolicy = new ReplyPolicy(topics);
    Map<String, KStream<String, RouteDecision>> decisions =
        intake
            .get("request-ok")
            .processValues(
                () -> new RouteProcessor(SERVICE, policy, replyPolicy, checks, config),
                Named.as("route"),
                RouterStores.CACHE,
                RouterStores.SEEN_REQUESTS,
                RouterStores.RATE_LIMITS,
                RouterStores.BUDGET_TALLIES,
                RouterStores.BUDGET_RESERVATIONS,
                RouterStores.IN_DOUBT_CALLS)
            .split(Named.as("decision-"))
            .branch((team, d) -> d instanceof RouteDecision.Routed, Branched.as("routed"))
            .branch((team, d) -> d instanceof RouteDecision.Cached, Branched.as("cached"))
            .branch(
                (team, d) -> d instanceof RouteDecision.DeadLettered, Branched.as("unanswerable"))
            .defaultBranch(Branched.as("rejected"));

    streams.deadLetters(
        decisions
            .get("decision-unanswerable")
            .mapValues(
                d -> ((RouteDecision.DeadLettered) d).letter(), Named.as("unanswerable-letter"))
            .merge(
                decisions
                    .get("decision-rejected")
                    .flatMapValues(
                        d -> ((RouteDecision.Rejected) d).letter().stream().toList(),
                        Named.as("rejected-letter")),
                Named.as("refused-letters")),
        "refused");

    streams.toAddressed(
        decisions
            .get("decision-routed")
            .map((team, d) -> toProvider((RouteDecision.Routed) d, topics), Named.as("key-routed")),
        serdes.of(RoutedRequest.class),
        "provider-requests");

    streams.to(
        decisions
            .get("decision-cached")
            .mapValues(d -> ((RouteDecision.Cached) d).usage(), Named.as("cache-hit-usage")),
        topics.usageEvents(),
        "cache-hits");

    streams.toAddressed(
        decisions
            .get("decision-rejected")
            .merge(decisions.get("decision-cached"), Named.as("answered-at-once"))
            .map((team, d) -> toReply(d, topics), Named.as("key-answered")),
        serdes.of(LlmReply.class),
        "answers");

    return builder.build();
  }

  private static <V> StoreBuilder<?> store(String name, Serde<V> serde) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), serde);
  }

  /**
   * A governance store, with a record cache: a team's buckets and tallies change on every request,
   * and the cache folds those changes into one changelog record per key per commit (a reservation
   * settled within the commit interval never reaches the changelog at all). Measured: without it,
   * the checks cost the router most of its CPU at 1,000 requests/s (docs/performance.md).
   */
  private static <V> StoreBuilder<?> cachedStore(String name, Serde<V> serde) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), serde)
        .withCachingEnabled();
  }

  private static KeyValue<String, Addressed<RoutedRequest>> toProvider(
      RouteDecision.Routed routed, Topics topics) {
    RoutedRequest request = routed.request();
    return KeyValue.pair(
        request.getRequest().getRequestId(),
        Addressed.to(
            topics.providerRequests(routed.provider(), request.getRequest().getPriority()),
            request));
  }

  private static KeyValue<String, Addressed<LlmReply>> toReply(
      RouteDecision decision, Topics topics) {
    LlmRequest request;
    LlmReply reply;
    if (decision instanceof RouteDecision.Cached c) {
      request = c.request();
      reply = c.reply();
    } else {
      RouteDecision.Rejected r = (RouteDecision.Rejected) decision;
      request = r.request();
      reply = r.reply();
    }
    return KeyValue.pair(
        reply.getRequestId(), Addressed.to(Replies.topicOf(request, topics), reply));
  }
}
