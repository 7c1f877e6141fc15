package dev.tollgate.core.kafka;

import dev.tollgate.schemas.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs each Tollgate service and each team's jobs need on a secured cluster, least
 * privilege, in one place: {@code tollgate acls} prints them as {@code kafka-acls} commands,
 * docs/security.md shows that output, and the secured-cluster test applies exactly these. Every
 * service may create the topics it needs if missing; each writes only where it answers, and only
 * the router and the workers write reply topics. Names carry the topic prefix.
 */
public final class Acls {

  /** The services that connect as principals of their own. */
  public enum Service {
    ROUTER,
    WORKERS,
    USAGE,
    INGEST,
    BATCH,
    REGISTRY;

    /** The settings name of the service ({@code router.kafka.properties.*}, ...). */
    public String settingsName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Topics topics;
  private final Collection<String> providers;

  /**
   * @param providers the catalog's provider names: each has its request topics
   */
  public Acls(Topics topics, Collection<String> providers) {
    this.topics = topics;
    this.providers = List.copyOf(providers);
  }

  /** What {@code principal} (e.g. {@code User:router}) needs to run {@code service}. */
  public List<AclBinding> service(Service service, String principal) {
    Grants g = new Grants(principal);
    if (service != Service.REGISTRY) {
      // Every service makes sure the shared topics exist (the first to start creates them).
      for (String topic : sharedTopics()) {
        g.topic(topic, AclOperation.CREATE, AclOperation.DESCRIBE);
      }
    }
    Consumer<Grants> grants =
        switch (service) {
          case ROUTER -> this::router;
          case WORKERS -> this::workers;
          case USAGE -> this::usage;
          case INGEST -> this::ingest;
          case BATCH -> this::batch;
          case REGISTRY -> this::registry;
        };
    grants.accept(g);
    return g.bindings;
  }

  private void router(Grants g) {
    String p = topics.prefix();
    for (String topic :
        List.of(
            topics.requests().name(),
            topics.bulkRequests().name(),
            topics.responseCache().name(),
            topics.usageEvents().name(),
            topics.gatewayConfig().name(),
            topics.providerHealth().name())) {
      g.topic(topic, AclOperation.READ);
    }
    g.prefixedTopic(p + "llm-requests-", AclOperation.WRITE, AclOperation.DESCRIBE);
    g.topic(topics.usageEvents().name(), AclOperation.WRITE);
    replyWriter(g);
    streamsApp(g, p + "tollgate-router", false);
  }

  private void workers(Grants g) {
    String p = topics.prefix();
    for (String provider : providers) {
      g.topic(topics.providerRequests(provider).name(), AclOperation.READ);
      g.topic(topics.providerBulkRequests(provider).name(), AclOperation.READ);
    }
    g.prefixedTopic(p + "llm-requests-", AclOperation.WRITE, AclOperation.DESCRIBE);
    for (String topic :
        List.of(
            topics.usageEvents().name(),
            topics.providerHealth().name(),
            topics.responseCache().name())) {
      g.topic(topic, AclOperation.WRITE);
    }
    replyWriter(g);
    g.prefixed(ResourceType.GROUP, p + "tollgate-workers-", AclOperation.READ);
    g.prefixed(
        ResourceType.TRANSACTIONAL_ID,
        p + "tollgate-worker-",
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
  }

  private void usage(Grants g) {
    String p = topics.prefix();
    g.topic(topics.usageEvents().name(), AclOperation.READ);
    g.topic(topics.providerHealth().name(), AclOperation.READ);
    g.topic(topics.gatewayConfig().name(), AclOperation.READ);
    g.topic(topics.deadLetters().name(), AclOperation.WRITE);
    g.prefixedTopic(
        p + "team-spend-", AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.WRITE);
    g.topic(
        topics.budgetAlerts().name(),
        AclOperation.CREATE,
        AclOperation.DESCRIBE,
        AclOperation.WRITE,
        AclOperation.READ);
    g.literal(ResourceType.GROUP, p + "tollgate-budget-alert-webhook", AclOperation.READ);
    streamsApp(g, p + "tollgate-usage-aggregator", true);
  }

  private void ingest(Grants g) {
    String p = topics.prefix();
    g.topic(topics.requests().name(), AclOperation.WRITE);
    g.topic(topics.bulkRequests().name(), AclOperation.WRITE);
    g.topic(topics.gatewayConfig().name(), AclOperation.READ, AclOperation.WRITE);
    // Its instance's reply topic, and each new team's default reply topic.
    g.prefixedTopic(
        p + "ingest-replies-", AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ);
    g.prefixedTopic(p + "llm-replies-", AclOperation.CREATE, AclOperation.DESCRIBE);
    // Async requests, and the Files and Batch APIs (uploads, commands, their views).
    g.prefixedTopic(p + "async-", AclOperation.ALL);
    g.prefixedTopic(p + "batch", AclOperation.ALL);
    g.literal(ResourceType.GROUP, p + "tollgate-async-callbacks", AclOperation.READ);
  }

  /** The batch runner: reads commands, uploads and replies; sends lines; writes results. */
  private void batch(Grants g) {
    String p = topics.prefix();
    g.topic(topics.bulkRequests().name(), AclOperation.WRITE);
    g.topic(topics.deadLetters().name(), AclOperation.WRITE);
    g.prefixedTopic(p + "batch", AclOperation.ALL);
    streamsApp(g, p + "tollgate-batches", true);
  }

  private void registry(Grants g) {
    g.topic(topics.schemaRegistryLog(), AclOperation.ALL);
  }

  /**
   * What a team's jobs (principal {@code principal}) need: write requests, and read, create and
   * consume their own reply topics ({@code replyPrefix}, the team's reply prefix). Nothing else:
   * they cannot read requests, other teams' replies, usage or config.
   */
  public List<AclBinding> team(String principal, String replyPrefix) {
    Grants g = new Grants(principal);
    g.topic(topics.requests().name(), AclOperation.WRITE);
    g.topic(topics.bulkRequests().name(), AclOperation.WRITE);
    g.prefixedTopic(replyPrefix, AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE);
    g.prefixed(ResourceType.GROUP, replyPrefix, AclOperation.READ);
    return g.bindings;
  }

  /** The topics every service makes sure of at start ({@code ServiceContext.ensureTopics}). */
  private List<String> sharedTopics() {
    List<String> shared =
        new ArrayList<>(
            List.of(
                topics.requests().name(),
                topics.bulkRequests().name(),
                topics.replies().name(),
                topics.usageEvents().name(),
                topics.deadLetters().name(),
                topics.providerHealth().name(),
                topics.responseCache().name(),
                topics.gatewayConfig().name()));
    for (String provider : providers) {
      shared.add(topics.providerRequests(provider).name());
      shared.add(topics.providerBulkRequests(provider).name());
    }
    return shared;
  }

  /** Writing replies: the teams' reply topics, ingest's, async and batch replies. */
  private void replyWriter(Grants g) {
    String p = topics.prefix();
    g.prefixedTopic(p + "llm-replies-", AclOperation.WRITE, AclOperation.DESCRIBE);
    g.prefixedTopic(p + "ingest-replies-", AclOperation.WRITE, AclOperation.DESCRIBE);
    g.topic(topics.asyncReplies().name(), AclOperation.WRITE);
    g.topic(topics.batchReplies().name(), AclOperation.WRITE);
  }

  /** A Streams app: its internal topics, its group, its transactions when exactly-once. */
  private static void streamsApp(Grants g, String applicationId, boolean exactlyOnce) {
    g.prefixedTopic(applicationId + "-", AclOperation.ALL);
    g.literal(ResourceType.GROUP, applicationId, AclOperation.READ);
    if (exactlyOnce) {
      g.prefixed(
          ResourceType.TRANSACTIONAL_ID,
          applicationId + "-",
          AclOperation.WRITE,
          AclOperation.DESCRIBE);
    }
  }

  /**
   * {@code bindings} as {@code kafka-acls} command lines (with {@code $BOOTSTRAP} and an admin
   * client's {@code admin.properties}), one per principal and resource with all its operations.
   */
  public static List<String> commands(List<AclBinding> bindings) {
    Map<String, List<String>> operations = new LinkedHashMap<>();
    for (AclBinding binding : bindings) {
      ResourcePattern r = binding.pattern();
      String resource =
          switch (r.resourceType()) {
            case TOPIC -> "--topic " + r.name();
            case GROUP -> "--group " + r.name();
            case TRANSACTIONAL_ID -> "--transactional-id " + r.name();
            default -> "--cluster";
          };
      String target =
          "--allow-principal "
              + binding.entry().principal()
              + " "
              + resource
              + (r.patternType() == PatternType.PREFIXED
                  ? " --resource-pattern-type prefixed"
                  : "");
      operations
          .computeIfAbsent(target, t -> new ArrayList<>())
          .add("--operation " + camel(binding.entry().operation().name()));
    }
    List<String> lines = new ArrayList<>();
    operations.forEach(
        (target, ops) ->
            lines.add(
                "kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties"
                    + " --add "
                    + target
                    + " "
                    + String.join(" ", ops)));
    return lines;
  }

  private static String camel(String operation) {
    StringBuilder out = new StringBuilder();
    for (String part : operation.toLowerCase(Locale.ROOT).split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  /** The bindings of one principal. */
  private static final class Grants {
    private final String principal;
    private final List<AclBinding> bindings = new ArrayList<>();

    Grants(String principal) {
      this.principal = principal;
    }

    void topic(String name, AclOperation... operations) {
      literal(ResourceType.TOPIC, name, operations);
    }

    void prefixedTopic(String prefix, AclOperation... operations) {
      prefixed(ResourceType.TOPIC, prefix, operations);
    }

    void literal(ResourceType type, String name, AclOperation... operations) {
      add(new ResourcePattern(type, name, PatternType.LITERAL), operations);
    }

    void prefixed(ResourceType type, String prefix, AclOperation... operations) {
      add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operations);
    }

    private void add(ResourcePattern pattern, AclOperation... operations) {
      for (AclOperation operation : operations) {
        AclBinding binding =
            new AclBinding(
                pattern,
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
        if (!bindings.contains(binding)) {
          bindings.add(binding);
        }
      }
    }
  }
}
