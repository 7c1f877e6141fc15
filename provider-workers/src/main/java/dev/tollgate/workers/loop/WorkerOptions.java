package dev.tollgate.workers.loop;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.time.Duration;
import java.util.Locale;

/**
 * How a worker runs ({@code workers.*}).
 *
 * @param maxInFlight calls in flight per worker before it stops fetching
 * @param bulkMaxInFlight the most of those the bulk lane may hold; bulk records are fetched only
 *     while interactive calls leave room (a quarter of {@code maxInFlight} by default)
 * @param bulkYieldDelay how much longer than usual interactive requests may take to reach the
 *     worker before it halves the bulk calls it allows in flight ({@link BulkWindow}); zero turns
 *     the steering off
 * @param callTimeout the longest one provider call may take (the request's deadline may cut it)
 * @param transactionInterval how often the interactive lane's finished records go out, at most, in
 *     one transaction with their offsets; zero: as soon as the lane's previous commit is done
 * @param bulkTransactionInterval the same for the bulk lane: longer, so a batch takes fewer
 *     transactions (and less of the broker) at the price of replies its job does not wait on
 * @param instanceId names this worker's transactional producers, {@code
 *     tollgate-worker-<provider>-<instance-id>}; stable across restarts, so a restarted worker
 *     fences its predecessor and aborts what it left open (the {@code HOSTNAME}, else {@code
 *     local})
 * @param recordCallIntents whether each provider call is announced before it is made
 * @param drainTimeout how long shutdown and rebalances wait for calls in flight
 */
public record WorkerOptions(
    int maxInFlight,
    int bulkMaxInFlight,
    Duration bulkYieldDelay,
    Duration callTimeout,
    Duration transactionInterval,
    Duration bulkTransactionInterval,
    Duration drainTimeout,
    String instanceId,
    boolean recordCallIntents) {

  public WorkerOptions {
    if (maxInFlight < 1) {
      throw new ConfigException("workers.max-in-flight: must be at least 1, got " + maxInFlight);
    }
    if (bulkMaxInFlight < 1 || bulkMaxInFlight > maxInFlight) {
      throw new ConfigException(
          "workers.bulk-max-in-flight: must be between 1 and workers.max-in-flight ("
              + maxInFlight
              + "), got "
              + bulkMaxInFlight);
    }
    if (bulkYieldDelay.isNegative()) {
      throw new ConfigException("workers.bulk-yield-delay: must not be negative");
    }
  }

  /** Records one poll may return: a quarter of the calls in flight, so fetching stays smooth. */
  public int pollBatch() {
    return Math.max(1, maxInFlight / 4);
  }

  public static WorkerOptions from(Settings settings) {
    int maxInFlight = settings.intValue("workers.max-in-flight", 256);
    return new WorkerOptions(
        maxInFlight,
        settings.intValue("workers.bulk-max-in-flight", Math.max(1, maxInFlight / 4)),
        settings.duration("workers.bulk-yield-delay", Duration.ofMillis(10)),
        settings.duration("workers.call-timeout", Duration.ofSeconds(120)),
        settings.duration("workers.transaction-interval", Duration.ZERO),
        settings.duration("workers.bulk-transaction-interval", Duration.ofMillis(50)),
        settings.duration("workers.drain-timeout", Duration.ofSeconds(30)),
        settings.string(
            "workers.instance-id",
            System.getenv()
                .getOrDefault("HOSTNAME", "local")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-")),
        settings.bool("workers.record-call-intents", true));
  }
}
