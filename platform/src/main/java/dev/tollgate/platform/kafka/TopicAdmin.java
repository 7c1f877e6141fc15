package dev.tollgate.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a service needs, leaving the ones that exist as they are. */
public final class TopicAdmin {

  private final KafkaSettings kafka;

  public TopicAdmin(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  /** A topic with the configured partitions and replication. */
  public NewTopic topic(String name) {
    return new NewTopic(name, kafka.partitions(), kafka.replicationFactor());
  }

  /**
   * A topic with the configured partitions and replication that keeps records for {@code
   * retention}.
   */
  public NewTopic retained(String name, Duration retention) {
    return topic(name)
        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
  }

  /** A compacted topic (tables: config, spend, schemas). */
  public NewTopic compacted(String name, int partitions) {
    return new NewTopic(name, partitions, kafka.replicationFactor())
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  /** Creates every topic in {@code topics} that does not exist yet; blocks until done. */
  public void ensure(Collection<NewTopic> topics) {
    try (Admin admin = Admin.create(kafka.clientProperties("tollgate-topic-admin"))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
      if (missing.isEmpty()) {
        return;
      }
      admin.createTopics(missing).values().values().forEach(TopicAdmin::awaitCreated);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e);
    }
  }

  private static void awaitCreated(org.apache.kafka.common.KafkaFuture<Void> future) {
    try {
      future.get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic: " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
