package dev.tollgate.usage;

import dev.tollgate.core.kafka.GroupReader;
import dev.tollgate.core.serde.AvroTopic;
import dev.tollgate.platform.http.WebhookPost;
import dev.tollgate.schemas.BudgetAlert;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;

/**
 * POSTs every budget alert to a webhook, in order, each until it is accepted (2xx), backing off
 * from 1 s to a minute between tries. A consumer group remembers what was delivered, so after a
 * restart delivery resumes where it stopped: each alert arrives at least once, with its id in
 * {@code Idempotency-Key} so the receiver can drop a repeat.
 */
final class AlertWebhook implements AutoCloseable {

  private final URI url;
  private final WebhookPost webhook =
      new WebhookPost(
          "budget alert", Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(1));
  private final GroupReader<BudgetAlert> reader;

  /**
   * @param groupId the consumer group, which keeps how far the alerts were delivered
   */
  AlertWebhook(Properties clientProps, String groupId, AvroTopic<BudgetAlert> alerts, URI url) {
    this.url = url;
    // One alert between commits: a restart repeats at most the alert being delivered.
    this.reader = new GroupReader<>(clientProps, groupId, 1, alerts, this::deliver);
  }

  AlertWebhook start() {
    reader.start();
    return this;
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
    reader.close();
  }
}
