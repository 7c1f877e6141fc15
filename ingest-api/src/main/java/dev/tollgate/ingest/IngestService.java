package dev.tollgate.ingest;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.kafka.Clients;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.kafka.TopicFollower;
import dev.tollgate.ingest.admin.AdminRoutes;
import dev.tollgate.ingest.async.AsyncService;
import dev.tollgate.ingest.batch.BatchService;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.Health;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.Topic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The running ingest API: the OpenAI-compatible HTTP endpoints and the admin API on {@code
 * ingest.port}, a producer to {@code llm-requests} and {@code gateway-config}, a listener on this
 * instance's reply topic {@code ingest-replies-<instance-id>}, and the gateway config it
 * authenticates with.
 */
public final class IngestService implements AutoCloseable {

  private final HttpServer http;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final TopicFollower<LlmReply> replies;
  private final GatewayConfigView gatewayConfig;
  private final BatchService batches;
  private final AsyncService async;

  private final Runnable stopProbe;

  private IngestService(
      HttpServer http,
      KafkaProducer<String, SpecificRecord> producer,
      TopicFollower<LlmReply> replies,
      GatewayConfigView gatewayConfig,
      BatchService batches,
      AsyncService async,
      Runnable stopProbe) {
    this.stopProbe = stopProbe;
    this.http = http;
    this.producer = producer;
    this.replies = replies;
    this.gatewayConfig = gatewayConfig;
    this.batches = batches;
    this.async = async;
  }

  /**
   * @param keys the keys and admin token of the config file, beneath those on {@code
   *     gateway-config}
   */
  public static IngestService start(ServiceContext shared, GatewayKeys keys) {
    ServiceContext ctx = shared.forService("ingest");
    IngestConfig config = IngestConfig.from(ctx.settings());
    ctx.ensureTopics();
    GatewayConfigView gatewayConfig =
        GatewayConfigView.follow(
            ctx.kafka(),
            ctx.serdes(),
            keys,
            ctx.catalog(),
            "tollgate-ingest-config-" + config.instanceId());
    Topic<String, LlmReply> ownReplies = ctx.kafka().topics().ingestReplies(config.instanceId());
    String replyTopic = ownReplies.name();
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(List.of(admin.topic(replyTopic)));

    PrometheusMeterRegistry metrics = Metrics.registry("ingest-api");
    Properties props = ctx.kafka().clientProperties("tollgate-ingest-" + config.instanceId());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    // A broker outage answers 503 within ingest.kafka-timeout instead of holding requests for
    // minutes, and a send never blocks an event loop for long (KafkaGate).
    long kafkaTimeoutMs = config.kafkaTimeout().toMillis();
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(kafkaTimeoutMs));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(kafkaTimeoutMs - 10));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    // Metadata of every topic it writes is fetched at start and kept: a send finds it known.
    props.put(
        ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(Duration.ofDays(1).toMillis()));
    KafkaProducer<String, SpecificRecord> producer =
        Clients.producer(
            props,
            // Requests go out vouched for: the router trusts their key hash only if signed.
            Vouch.from(ctx.settings()).signing(ctx.serdes().anySerializer()));
    // Fetch metadata and register the schema now, not on the first request's event loop.
    awaitMetadata(producer, ctx.kafka().topics().requests().name());
    awaitMetadata(producer, ctx.kafka().topics().bulkRequests().name());
    ctx.serdes().register(ctx.kafka().topics().requests());
    ctx.serdes().register(ctx.kafka().topics().bulkRequests());
    ctx.serdes().register(ctx.kafka().topics().gatewayConfig());
    new KafkaClientMetrics(producer).bindTo(metrics);

    PendingReplies pending = new PendingReplies();
    KafkaGate gate = new KafkaGate(config.maxUnsent(), Clock.systemUTC());
    Admin probe =
        Admin.create(ctx.kafka().clientProperties("tollgate-ingest-probe-" + config.instanceId()));
    // While Kafka is down, ask once a second whether it is back, instead of sending requests.
    long probing =
        ctx.vertx()
            .setPeriodic(
                1_000,
                t -> {
                  if (gate.isFailing()) {
                    probe
                        .describeCluster(new DescribeClusterOptions().timeoutMs(900))
                        .nodes()
                        .whenComplete((nodes, e) -> gate.probe(e == null && !nodes.isEmpty()));
                  }
                });
    Gauge.builder("tollgate_ingest_unsent_requests", gate, KafkaGate::unsent).register(metrics);
    Gauge.builder("tollgate_ingest_waiting_replies", pending, PendingReplies::size)
        .register(metrics);
    // Only this instance names its reply topic, so it reads only its own replies.
    TopicFollower<LlmReply> replies =
        TopicFollower.fromEnd(
                ctx.kafka().clientProperties("tollgate-ingest-replies-" + config.instanceId()),
                ctx.serdes().on(ownReplies),
                pending::complete)
            .start();

    BatchService batches = BatchService.start(ctx, producer, config.instanceId());
    AsyncService async = AsyncService.start(ctx, producer, config.instanceId());
    for (String written :
        List.of(
            ctx.kafka().topics().gatewayConfig().name(),
            ctx.kafka().topics().asyncRequests().name(),
            ctx.kafka().topics().batchCommands().name(),
            ctx.kafka().topics().batchFileChunks().name(),
            ctx.kafka().topics().batchFiles().name())) {
      awaitMetadata(producer, written);
    }
    ApiEndpoint chat =
        new ApiEndpoint(
            config,
            gatewayConfig::catalog,
            producer,
            ctx.kafka().topics(),
            replyTopic,
            pending,
            ctx.vertx(),
            Clock.systemUTC(),
            async,
            gate);
    Router router =
        IngestRoutes.router(
            ctx.vertx(),
            config,
            gatewayConfig,
            chat,
            batches,
            async,
            Clock.systemUTC(),
            r ->
                AdminRoutes.mount(
                    r,
                    ctx.vertx(),
                    gatewayConfig,
                    producer,
                    ctx.kafka().topics(),
                    topic -> admin.ensure(List.of(admin.topic(topic)))));
    HttpService.mountOperations(
        router,
        metrics,
        Health.check(replies::isAlive, "reply follower stopped")
            .and(Health.check(gatewayConfig::isAlive, "gateway-config follower stopped"))
            .and(Health.check(batches::isHealthy, "batch service not running"))
            .and(gate.health())
            .and(Health.registry(ctx.serdes().registry())));
    HttpServer http = HttpService.listen(ctx.vertx(), router, ctx.httpHost(), config.port());
    return new IngestService(
        http,
        producer,
        replies,
        gatewayConfig,
        batches,
        async,
        () -> {
          ctx.vertx().cancelTimer(probing);
          probe.close(Duration.ofSeconds(5));
        });
  }

  public int port() {
    return http.actualPort();
  }

  /**
   * Waits for {@code topic}'s metadata at start (the producer's own wait is kept short, as it sends
   * from event loops), up to a minute.
   */
  private static void awaitMetadata(KafkaProducer<?, ?> producer, String topic) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try {
        producer.partitionsFor(topic);
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no metadata for " + topic + " within a minute", e);
        }
      }
    }
  }

  public boolean isHealthy() {
    return replies.isAlive() && gatewayConfig.isAlive() && batches.isHealthy() && async.isHealthy();
  }

  @Override
  public void close() {
    HttpService.close(http);
    stopProbe.run();
    batches.close();
    async.close();
    producer.close(Duration.ofSeconds(10));
    replies.stop();
    gatewayConfig.close();
  }
}
