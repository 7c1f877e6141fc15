package dev.tollgate.core.kafka;

import dev.tollgate.core.config.ConfigException;
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
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
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
      admin.createTopics(missing).values().values().forEach(this::awaitCreated);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw connectionProblem(kafka, e.getCause());
    }
  }

  /**
   * What a failed first call to Kafka says to the operator: which settings to look at when the
   * credentials or the ACLs are wrong (never the credentials themselves).
   */
  public static RuntimeException connectionProblem(KafkaSettings kafka, Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return new ConfigException(
          kafka.settingsKeys()
              + ": cannot authenticate to Kafka at "
              + kafka.bootstrapServers()
              + " with "
              + kafka.describeSecurity()
              + ": "
              + cause.getMessage(),
          cause);
    }
    if (cause instanceof AuthorizationException) {
      return new ConfigException(
          kafka.settingsKeys()
              + ": the principal these settings log in as is not allowed what this service needs"
              + " ("
              + cause.getMessage()
              + "); `tollgate acls` prints the ACLs each service needs (docs/security.md)",
          cause);
    }
    return new IllegalStateException(
        "cannot reach Kafka at " + kafka.bootstrapServers() + ": " + cause.getMessage(), cause);
  }

  private void awaitCreated(org.apache.kafka.common.KafkaFuture<Void> future) {
    try {
      future.get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e.getCause() instanceof AuthorizationException
            ? connectionProblem(kafka, e.getCause())
            : new IllegalStateException("cannot create topic: " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
