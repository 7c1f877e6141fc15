package dev.tollgate.workers.loop;

import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.platform.config.ConfigException;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.workers.adapter.OpenAiAdapter;
import dev.tollgate.workers.adapter.ProviderAdapter;
import dev.tollgate.workers.adapter.ProviderEndpoint;
import dev.tollgate.workers.resilience.DeploymentGuards;
import dev.tollgate.workers.resilience.ResilienceSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider workers of one process: one {@link WorkerLoop} per provider it serves (consumer
 * group {@code tollgate-workers-<provider>}), with {@code /metrics} and {@code /health} on {@code
 * workers.port}.
 */
public final class WorkerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

  private final List<WorkerLoop> loops;
  private final List<Thread> threads;
  private final List<ProviderClient> clients;
  private final DeploymentGuards guards;
  private final HttpServer http;

  private WorkerService(
      List<WorkerLoop> loops,
      List<Thread> threads,
      List<ProviderClient> clients,
      DeploymentGuards guards,
      HttpServer http) {
    this.loops = loops;
    this.threads = threads;
    this.clients = clients;
    this.guards = guards;
    this.http = http;
  }

  /**
   * Starts workers for {@code providers} (every catalog provider when empty). Provider keys come
   * from the environment variables the catalog names; {@code fallbackKey}, when not null, stands in
   * for unset ones (local mode against the mock provider).
   */
  public static WorkerService start(
      ServiceContext ctx, List<String> providers, Map<String, String> env, String fallbackKey) {
    ctx.ensureTopics();
    List<ProviderSpec> specs = new ArrayList<>();
    if (providers.isEmpty()) {
      specs.addAll(ctx.catalog().providers());
    } else {
      for (String name : providers) {
        specs.add(
            ctx.catalog()
                .provider(name)
                .orElseThrow(
                    () -> new ConfigException("--provider: unknown provider '" + name + "'")));
      }
    }
    WorkerOptions options = WorkerOptions.from(ctx.settings());
    PrometheusMeterRegistry metrics = Metrics.registry("provider-workers");
    Outcomes outcomes = new Outcomes(ctx.kafka().topics(), ctx.catalog());
    DeploymentGuards guards =
        new DeploymentGuards(ResilienceSettings.from(ctx.settings()), Clock.systemUTC());
    List<WorkerLoop> loops = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<ProviderClient> clients = new ArrayList<>();
    for (ProviderSpec spec : specs) {
      ProviderEndpoint endpoint = ProviderEndpoint.of(spec, env, fallbackKey);
      ProviderClient client = new ProviderClient(ctx.vertx(), options.maxInFlight());
      String topic = ctx.kafka().topics().providerRequests(spec.name()).name();
      ProviderAdapter adapter = adapter(endpoint);
      WorkerMetrics workerMetrics = new WorkerMetrics(metrics, spec.name());
      WorkerLoop loop =
          new WorkerLoop(
              topic,
              new KafkaConsumer<>(
                  consumerProps(ctx, spec.name()),
                  new StringDeserializer(),
                  new ByteArrayDeserializer()),
              new KafkaProducer<>(
                  producerProps(ctx, spec.name()),
                  new StringSerializer(),
                  ctx.serdes().anySerializer()),
              ctx.serdes().of(dev.tollgate.schemas.RoutedRequest.class),
              adapter,
              new CallRunner(
                  adapter, client, guards, options.callTimeout(), Clock.systemUTC(), workerMetrics),
              outcomes,
              options,
              Clock.systemUTC(),
              workerMetrics);
      Thread thread = new Thread(loop, "worker-" + spec.name());
      thread.start();
      LOG.info("worker for {} consuming {}", endpoint, topic);
      loops.add(loop);
      threads.add(thread);
      clients.add(client);
    }
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(
        router, metrics, () -> loops.stream().allMatch(WorkerLoop::isHealthy));
    HttpServer http =
        HttpService.listen(
            ctx.vertx(), router, ctx.httpHost(), ctx.settings().intValue("workers.port", 0));
    return new WorkerService(loops, threads, clients, guards, http);
  }

  static ProviderAdapter adapter(ProviderEndpoint endpoint) {
    return switch (endpoint.api()) {
      case "openai" -> new OpenAiAdapter(endpoint);
      default ->
          throw new ConfigException(
              "providers["
                  + endpoint.name()
                  + "].api: '"
                  + endpoint.api()
                  + "' has no adapter yet");
    };
  }

  private static Properties consumerProps(ServiceContext ctx, String provider) {
    Properties p = ctx.kafka().clientProperties("tollgate-worker-" + provider);
    p.put(
        ConsumerConfig.GROUP_ID_CONFIG,
        ctx.kafka().topics().prefix() + "tollgate-workers-" + provider);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    return p;
  }

  private static Properties producerProps(ServiceContext ctx, String provider) {
    Properties p = ctx.kafka().clientProperties("tollgate-worker-" + provider);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return p;
  }

  public boolean isHealthy() {
    return loops.stream().allMatch(WorkerLoop::isHealthy);
  }

  public int port() {
    return http.actualPort();
  }

  /** Stops fetching, finishes the calls in flight (up to the drain timeout), commits, stops. */
  @Override
  public void close() {
    loops.forEach(WorkerLoop::stop);
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.forEach(ProviderClient::close);
    guards.close();
    HttpService.close(http);
  }
}
