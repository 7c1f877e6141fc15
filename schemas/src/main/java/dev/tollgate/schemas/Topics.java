package dev.tollgate.schemas;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every topic Tollgate reads or writes, in one place, behind an optional prefix (so several
 * gateways can share a cluster). Keys are ids as strings: the team id on the team-partitioned
 * topics, the request id on the request-partitioned ones (see DESIGN.md).
 */
public final class Topics {

  private static final String INGEST_REPLIES = "ingest-replies-";

  /** The names every internal topic starts with (after the prefix). */
  private static final List<String> INTERNAL_ROOTS =
      List.of(
          "_",
          "llm-requests",
          INGEST_REPLIES,
          "usage-events",
          "response-cache",
          "provider-health",
          "team-spend-",
          "budget-alerts",
          "gateway-config",
          "batch",
          "async-");

  private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final String prefix;

  private Topics(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** The topics with no prefix. */
  public static Topics standard() {
    return new Topics("");
  }

  /** The topics with {@code prefix} in front of every name, e.g. {@code "staging."}. */
  public static Topics withPrefix(String prefix) {
    if (!prefix.isEmpty() && !SAFE_NAME.matcher(prefix).matches()) {
      throw new IllegalArgumentException("topic prefix '" + prefix + "' is not a valid topic name");
    }
    return new Topics(prefix);
  }

  public String prefix() {
    return prefix;
  }

  /** Requests as accepted, key: team id. */
  public Topic<String, LlmRequest> requests() {
    return topic("llm-requests", LlmRequest.class);
  }

  /**
   * Bulk requests as accepted (batch lines, async requests), key: team id, co-partitioned with
   * {@link #requests()}. Apart from interactive ones so that a bulk producer's open transaction
   * never holds back the router's read of interactive requests (decision 0018).
   */
  public Topic<String, LlmRequest> bulkRequests() {
    return topic("llm-requests-bulk", LlmRequest.class);
  }

  /** The accepted-requests topic for a request of {@code priority}. */
  public Topic<String, LlmRequest> requests(Priority priority) {
    return priority == Priority.BULK ? bulkRequests() : requests();
  }

  /** Requests routed to one provider, key: request id. */
  public Topic<String, RoutedRequest> providerRequests(String provider) {
    return topic("llm-requests-" + providerName(provider), RoutedRequest.class);
  }

  private static String providerName(String provider) {
    if (!SAFE_NAME.matcher(provider).matches()) {
      throw new IllegalArgumentException("provider name '" + provider + "' is not topic-safe");
    }
    return provider;
  }

  /**
   * The bulk lane of one provider (batches, async requests), key: request id. Workers serve it only
   * with capacity interactive requests leave over.
   */
  public Topic<String, RoutedRequest> providerBulkRequests(String provider) {
    return topic("llm-requests-" + providerName(provider) + "-bulk", RoutedRequest.class);
  }

  /** The request topic of {@code provider} for a request of {@code priority}. */
  public Topic<String, RoutedRequest> providerRequests(String provider, Priority priority) {
    return priority == Priority.BULK ? providerBulkRequests(provider) : providerRequests(provider);
  }

  /** The shared reply topic of older releases, key: request id; no request is answered there. */
  public Topic<String, LlmReply> replies() {
    return topic("llm-replies", LlmReply.class);
  }

  /**
   * The prefix of a team's own reply topics unless its config names another: {@code
   * llm-replies-<team>-}. The team's jobs get read (and create) on it, nothing else.
   */
  public String teamReplyPrefix(String team) {
    return prefix + "llm-replies-" + team + "-";
  }

  /** The reply topic of a team's requests that name none: its reply prefix plus {@code default}. */
  public static Topic<String, LlmReply> defaultReplyTopic(String replyPrefix) {
    return replyTopic(replyPrefix + "default");
  }

  /** One ingest-api instance's reply topic, key: request id (decision 0004). */
  public Topic<String, LlmReply> ingestReplies(String instanceId) {
    return topic(INGEST_REPLIES + instanceId, LlmReply.class);
  }

  /**
   * Whether {@code name} is a reply topic of Tollgate's own services (an ingest instance's, async
   * replies, batch replies): a request vouched for by a service may be answered there.
   */
  public boolean isServiceReplyTopic(String name) {
    return name.startsWith(prefix + INGEST_REPLIES)
        || name.equals(asyncReplies().name())
        || name.equals(batchReplies().name());
  }

  /**
   * Whether {@code name} is one of Tollgate's own topics (or under one of their names), which no
   * request may be answered on.
   */
  public boolean isInternal(String name) {
    return name.startsWith(prefix)
        && (name.equals(prefix + "llm-replies")
            || INTERNAL_ROOTS.stream().anyMatch(root -> name.startsWith(prefix + root)));
  }

  /**
   * Whether a team's reply prefix {@code replyPrefix} would cover one of Tollgate's own topics (or
   * fall among them), so that prefixed ACLs on it would reach them.
   */
  public boolean coversInternal(String replyPrefix) {
    return isInternal(replyPrefix)
        || (prefix + "llm-replies").startsWith(replyPrefix)
        || INTERNAL_ROOTS.stream().anyMatch(root -> (prefix + root).startsWith(replyPrefix));
  }

  /**
   * A reply topic by name (a request's {@code reply_to}), taken as given: callers own their reply
   * topics, so no prefix is added.
   */
  public static Topic<String, LlmReply> replyTopic(String name) {
    return new Topic<>(name, String.class, LlmReply.class);
  }

  /** Billed calls and cache hits, key: team id. */
  public Topic<String, UsageEvent> usageEvents() {
    return topic("usage-events", UsageEvent.class);
  }

  /** Successful replies kept for identical requests, key: team id (co-partitioned). */
  public Topic<String, CachedReply> responseCache() {
    return topic("response-cache", CachedReply.class);
  }

  /** Observations of every provider call, key: deployment id. */
  public Topic<String, ProviderHealth> providerHealth() {
    return topic("provider-health", ProviderHealth.class);
  }

  /** Records nobody could process and requests nobody could serve, key: request id. */
  public Topic<String, DeadLetter> deadLetters() {
    return topic("llm-requests-dlq", DeadLetter.class);
  }

  /** The aggregator's running total per team (compacted), key: team id. */
  public Topic<String, TeamSpend> teamSpendTotals() {
    return topic("team-spend-total", TeamSpend.class);
  }

  /**
   * One of the aggregator's spend tables (compacted): {@code team-spend-<table>}, key: the row key.
   */
  public Topic<String, SpendRow> spendTable(String table) {
    if (!SAFE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("table name '" + table + "' is not topic-safe");
    }
    return topic("team-spend-" + table, SpendRow.class);
  }

  /** Calls, errors and latency per deployment per hour (compacted), key: deployment|hour. */
  public Topic<String, DeploymentStats> deploymentStats() {
    return topic("team-spend-deployment-hour", DeploymentStats.class);
  }

  /** Soft budget thresholds crossed, key: team id. */
  public Topic<String, BudgetAlert> budgetAlerts() {
    return topic("budget-alerts", BudgetAlert.class);
  }

  /** Teams, keys and routes set at run time (compacted, one partition), key: entity id. */
  public Topic<String, GatewayConfigEntry> gatewayConfig() {
    return topic("gateway-config", GatewayConfigEntry.class);
  }

  /** Uploaded files' lines, in chunks, key: file id. */
  public Topic<String, FileChunk> batchFileChunks() {
    return topic("batch-file-chunks", FileChunk.class);
  }

  /** The Files API's files (compacted), key: file id. */
  public Topic<String, StoredFile> batchFiles() {
    return topic("batch-files", StoredFile.class);
  }

  /** What happens to batches (created, cancelled, a line answered), key: batch id. */
  public Topic<String, BatchCommand> batchCommands() {
    return topic("batch-commands", BatchCommand.class);
  }

  /** Batches as they stand (compacted), key: batch id. */
  public Topic<String, Batch> batches() {
    return topic("batches", Batch.class);
  }

  /** The reply topic of batch lines, key: request id. */
  public Topic<String, LlmReply> batchReplies() {
    return topic("batch-replies", LlmReply.class);
  }

  /** The lines of batches' output and error files, key: batch id. */
  public Topic<String, BatchResult> batchResults() {
    return topic("batch-results", BatchResult.class);
  }

  /** Requests accepted with {@code Prefer: respond-async}, key: request id. */
  public Topic<String, AsyncRequest> asyncRequests() {
    return topic("async-requests", AsyncRequest.class);
  }

  /** The reply topic of async requests, key: request id. */
  public Topic<String, LlmReply> asyncReplies() {
    return topic("async-replies", LlmReply.class);
  }

  /** Where the embedded schema registry keeps its schemas (compacted). */
  public String schemaRegistryLog() {
    return prefix + "_tollgate-schemas";
  }

  private <V> Topic<String, V> topic(String name, Class<V> valueType) {
    return new Topic<>(prefix + name, String.class, valueType);
  }
}
