package dev.tollgate.usage;

import dev.tollgate.core.kafka.Clients;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.platform.http.WebhookPost;
import dev.tollgate.schemas.BudgetAlert;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * POSTs every budget alert to a webhook, in order, each until it is accepted (2xx), backing off
 * from 1 s to a minute between tries. A consumer group remembers what was delivered, so after a
 * restart delivery resumes where it stopped: each alert arrives at least once, with its id in
 * {@code Idempotency-Key} so the receiver can drop a repeat.
 */
final class AlertWebhook implements Runnable, AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroTopic<BudgetAlert> alerts;
  private final URI url;
  private final WebhookPost webhook =
      new WebhookPost(
          "budget alert", Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(1));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /**
   * @param groupId the consumer group, which keeps how far the alerts were delivered
   */
  AlertWebhook(Properties clientProps, String groupId, AvroTopic<BudgetAlert> alerts, URI url) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    this.consumer = Clients.rawConsumer(props);
    this.alerts = alerts;
    this.url = url;
    consumer.subscribe(List.of(alerts.name()));
    this.thread = new Thread(this, "budget-alert-webhook");
  }

  AlertWebhook start() {
    thread.start();
    return this;
  }

  @Override
  public void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Optional<BudgetAlert> alert = alerts.decodeOrSkip(record);
          if (alert.isPresent()) {
            deliver(alert.get());
          }
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void deliver(BudgetAlert alert) throws InterruptedException {
    // Order matters and the webhook may be down for long: tried until it takes the alert.
    webhook.post(url, alert.getAlertId(), json(alert).encode());
  }

  static JsonObject json(BudgetAlert alert) {
    return new JsonObject()
        .put("id", alert.getAlertId())
        .put("team", alert.getTeamId())
        .put("period", alert.getPeriod())
        .put("period_id", alert.getPeriodId())
        .put("threshold_pct", alert.getThresholdPct())
        .put("hard_cap_micros", alert.getHardCapMicros())
        .put("spent_micros", alert.getSpentMicros())
        .put("crossed_at", alert.getCrossedAt().toString());
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
