package dev.tollgate.workers;

import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.workers.loop.WorkerOptions;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The Kafka client properties of a worker: its consumer, its lanes' producers, its intents'. */
final class WorkerClients {

  private WorkerClients() {}

  /** The consumer of one provider's request topics (both lanes). */
  static Properties consumer(ServiceContext ctx, String provider, WorkerOptions options) {
    Properties p = ctx.kafka().clientProperties("tollgate-worker-" + provider);
    p.put(
        ConsumerConfig.GROUP_ID_CONFIG,
        ctx.kafka().topics().prefix() + "tollgate-workers-" + provider);
    // Static membership: a restart after a crash takes its partitions back at once (0032).
    ctx.settings()
        .find(StreamsOptions.GROUP_INSTANCE_ID)
        .ifPresent(
            id ->
                p.put(
                    ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    ctx.kafka().topics().prefix() + "tollgate-worker-" + provider + "-" + id));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(options.pollBatch()));
    // Read committed (Clients.rawConsumer): fallbacks on these topics are written in transactions.
    return p;
  }

  /** The transactional producer of one lane; {@code lane} is "" or "-bulk" (decision 0024). */
  static Properties transactional(
      ServiceContext ctx, String provider, WorkerOptions options, String lane) {
    Properties p = ctx.kafka().clientProperties("tollgate-worker-" + provider + lane);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    p.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        ctx.kafka().topics().prefix()
            + "tollgate-worker-"
            + provider
            + "-"
            + options.instanceId()
            + lane);
    // An instance that never comes back blocks read-committed readers at most this long.
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
    // A write racing the previous commit's markers is retried in 5 ms, not 100 (decision 0019).
    p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
    return p;
  }

  /** The producer of call intents, outside the lanes' transactions (decision 0033). */
  static Properties intents(ServiceContext ctx, WorkerOptions options) {
    Properties p = ctx.kafka().clientProperties("tollgate-worker-intents-" + options.instanceId());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Batch the intents of calls starting together: one produce request, not one per call.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return p;
  }
}
