package dev.tollgate.core.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this service may write a topic named by a record (a request's {@code reply_to}), asked of
 * the cluster before anything is produced to it: a producer sending to a topic that is missing or
 * not writable blocks for {@code max.block.ms} and then fails its whole batch or transaction, which
 * would let one record stall a service. Answers are cached (a writable topic for a minute, a
 * problem for a few seconds, so a topic created after a refusal is found soon); when the cluster
 * cannot be asked, the topic is taken as writable, uncached: an outage is not the record's fault.
 * Used from one thread at a time.
 */
public final class TopicProbe implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProbe.class);
  static final Duration WRITABLE_FOR = Duration.ofMinutes(1);
  static final Duration PROBLEM_FOR = Duration.ofSeconds(5);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ENTRIES = 10_000;

  /** What the cluster says about one topic. */
  @FunctionalInterface
  public interface Cluster extends AutoCloseable {
    /** The topic's problem for a writer ("does not exist", ...), empty if writable. */
    Optional<String> problem(String topic) throws TimeoutException;

    @Override
    default void close() {}
  }

  /** A probe that finds every topic writable: for tests of what does not depend on it. */
  public static TopicProbe allWritable() {
    return new TopicProbe(topic -> Optional.empty(), Clock.systemUTC());
  }

  private record Entry(Optional<String> problem, Instant until) {}

  private final Cluster cluster;
  private final Clock clock;
  private final Map<String, Entry> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  public TopicProbe(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** A probe asking the cluster {@code kafka} names, as {@code clientId}. */
  public static TopicProbe of(KafkaSettings kafka, String clientId, Clock clock) {
    return new TopicProbe(new AdminCluster(Admin.create(kafka.clientProperties(clientId))), clock);
  }

  /** Why this service cannot write {@code topic}, or empty when it can (or cannot tell). */
  public synchronized Optional<String> problem(String topic) {
    Instant now = clock.instant();
    Entry known = cache.get(topic);
    if (known != null && now.isBefore(known.until())) {
      return known.problem();
    }
    try {
      Optional<String> problem = cluster.problem(topic);
      cache.put(
          topic, new Entry(problem, now.plus(problem.isEmpty() ? WRITABLE_FOR : PROBLEM_FOR)));
      return problem;
    } catch (TimeoutException | RuntimeException e) {
      LOG.warn("cannot tell whether topic {} is writable, taking it as writable: {}", topic, e);
      return Optional.empty();
    }
  }

  /** Forgets what is known of {@code topic}: the next question asks the cluster again. */
  public synchronized void forget(String topic) {
    cache.remove(topic);
  }

  @Override
  public void close() {
    cluster.close();
  }

  /** The cluster behind an {@link Admin} client, with the topic's authorized operations. */
  static final class AdminCluster implements Cluster {

    private static final Set<AclOperation> WRITE = Set.of(AclOperation.WRITE, AclOperation.ALL);
    private final Admin admin;

    AdminCluster(Admin admin) {
      this.admin = admin;
    }

    @Override
    public Optional<String> problem(String topic) throws TimeoutException {
      DescribeTopicsOptions options =
          new DescribeTopicsOptions()
              .includeAuthorizedOperations(true)
              .timeoutMs((int) ASK_TIMEOUT.toMillis());
      TopicDescription description;
      try {
        description =
            admin
                .describeTopics(List.of(topic), options)
                .allTopicNames()
                .get(ASK_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS)
                .get(topic);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          return Optional.of("topic '" + topic + "' does not exist");
        }
        if (e.getCause() instanceof TopicAuthorizationException) {
          return Optional.of("this service is not authorized to use topic '" + topic + "'");
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      Set<AclOperation> allowed = description.authorizedOperations();
      if (allowed != null && allowed.stream().noneMatch(WRITE::contains)) {
        return Optional.of("this service may not write topic '" + topic + "'");
      }
      return Optional.empty();
    }

    @Override
    public void close() {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
