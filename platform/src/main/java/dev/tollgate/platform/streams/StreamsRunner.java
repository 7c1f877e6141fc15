package dev.tollgate.platform.streams;

import dev.tollgate.core.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops a Kafka Streams topology the same way for every service: every error handler set
 * explicitly, metrics bound, and a start that returns only once the app is running.
 *
 * <p>Topologies decode their own input (poison records go to a dead-letter topic as data), so a
 * deserialization, processing or production error reaching Streams is a bug or an outage: the
 * handlers fail loudly, and unless a dead thread can be replaced ({@link ThreadFailures}) the
 * client shuts down and {@link #isHealthy()} turns false for the service's health check (a
 * supervisor restarts it) instead of skipping records silently.
 */
public final class StreamsRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

  /** The data a fetch waits for, up to the I/O wait, when a service has one. */
  private static final int IO_WAIT_BYTES = 64 * 1024;

  private final KafkaStreams streams;
  private final String applicationId;

  private StreamsRunner(KafkaStreams streams, String applicationId) {
    this.streams = streams;
    this.applicationId = applicationId;
  }

  /** The Streams properties of {@code applicationId} (prefixed like the topics). */
  public static Properties properties(
      String applicationId, KafkaSettings kafka, StreamsOptions options) {
    Properties p = kafka.clientProperties(applicationId);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.topics().prefix() + applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.processingGuarantee());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.commitInterval().toMillis());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads());
    p.put(StreamsConfig.STATE_DIR_CONFIG, options.stateDir().toString());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailProcessingExceptionHandler.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DefaultProductionExceptionHandler.class);
    // Workers write in transactions: at-least-once apps must not read what they abort either.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    // Streams sets its producer's linger.ms to 100 unless told otherwise: 100 ms per hop.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
    if (!options.ioWait().isZero()) {
      // Off the interactive path: fewer, fuller fetches and produce requests (decision 0022).
      long waitMs = options.ioWait().toMillis();
      p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), waitMs);
      p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), IO_WAIT_BYTES);
      p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), (int) waitMs);
    }
    // No topology here joins its inputs by time, so a task never waits for, or checks the fetch
    // lag of, an idle input before processing a ready one (decision 0017).
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // Static membership: Streams adds each thread's index to the id (decision 0032).
    options
        .groupInstanceId()
        .ifPresent(
            id ->
                p.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    kafka.topics().prefix() + applicationId + "-" + id));
    return p;
  }

  /** Starts {@code topology} and waits until it is running (or fails after {@code timeout}). */
  public static StreamsRunner start(
      Topology topology, Properties props, MeterRegistry registry, Duration timeout) {
    String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener(
        (next, previous) -> {
          LOG.info("{}: {} -> {}", applicationId, previous, next);
          if (next == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(new ThreadFailures(applicationId, System::nanoTime));
    new KafkaStreamsMetrics(streams).bindTo(registry);
    streams.start();
    StreamsRunner runner = new StreamsRunner(streams, applicationId);
    Instant deadline = Instant.now().plus(timeout);
    try {
      while (!running.await(200, TimeUnit.MILLISECONDS)) {
        if (!runner.isHealthy() || Instant.now().isAfter(deadline)) {
          runner.close();
          throw new IllegalStateException(
              applicationId + " did not reach RUNNING (state " + streams.state() + ")");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.close();
      throw new IllegalStateException("interrupted starting " + applicationId, e);
    }
    return runner;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** False once the client has failed or is shutting down. */
  public boolean isHealthy() {
    KafkaStreams.State state = streams.state();
    return state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED;
  }

  /**
   * Closes the app and leaves its consumer group, so a restarted instance gets its tasks at once
   * instead of after the old member's session timeout.
   */
  @Override
  public void close() {
    LOG.info("{}: closing", applicationId);
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
