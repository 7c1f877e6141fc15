package dev.tollgate.workers;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.kafka.Clients;
import dev.tollgate.core.kafka.TopicProbe;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.platform.http.Health;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.workers.adapter.ProviderAdapter;
import dev.tollgate.workers.adapter.ProviderAdapters;
import dev.tollgate.workers.adapter.ProviderEndpoint;
import dev.tollgate.workers.call.CallIntents;
import dev.tollgate.workers.call.CallRunner;
import dev.tollgate.workers.call.Outcomes;
import dev.tollgate.workers.call.ProviderClient;
import dev.tollgate.workers.call.WorkerMetrics;
import dev.tollgate.workers.loop.WorkerLoop;
import dev.tollgate.workers.loop.WorkerOptions;
import dev.tollgate.workers.resilience.DeploymentGuards;
import dev.tollgate.workers.resilience.ResilienceSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider workers of one process: one {@link WorkerLoop} per provider it serves (consumer
 * group {@code tollgate-workers-<provider>}, transactional id {@code
 * tollgate-worker-<provider>-<instance-id>}), with {@code /metrics} and {@code /health} on {@code
 * workers.port}.
 */
public final class WorkerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

  private final List<WorkerLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<ProviderClient> clients = new ArrayList<>();
  private final DeploymentGuards guards;
  private final KafkaProducer<String, SpecificRecord> intentProducer;
  private final TopicProbe replyTopics;
  private HttpServer http;

  private WorkerService(
      DeploymentGuards guards,
      KafkaProducer<String, SpecificRecord> intentProducer,
      TopicProbe replyTopics) {
    this.guards = guards;
    this.intentProducer = intentProducer;
    this.replyTopics = replyTopics;
  }

  /**
   * Starts workers for {@code providers} (every catalog provider when empty). Provider keys come
   * from the environment variables the catalog names; {@code fallbackKey}, when not null, stands in
   * for unset ones (local mode against the mock provider).
   */
  public static WorkerService start(
      ServiceContext shared, List<String> providers, Map<String, String> env, String fallbackKey) {
    ServiceContext ctx = shared.forService("workers");
    ctx.ensureTopics();
    List<ProviderSpec> specs = specs(ctx, providers);
    WorkerOptions options = WorkerOptions.from(ctx.settings());
    // Intents are serialized on event loops: register the schema now, never on a loop.
    ctx.serdes().register(ctx.kafka().topics().usageEvents());
    WorkerService service =
        new WorkerService(
            new DeploymentGuards(ResilienceSettings.from(ctx.settings()), Clock.systemUTC()),
            Clients.producer(WorkerClients.intents(ctx, options), ctx.serdes().anySerializer()),
            TopicProbe.of(
                ctx.kafka(),
                "tollgate-worker-reply-topics-" + options.instanceId(),
                Clock.systemUTC()));
    CallIntents intents =
        options.recordCallIntents()
            ? CallIntents.kafka(service.intentProducer, ctx.kafka().topics().usageEvents())
            : CallIntents.NONE;
    PrometheusMeterRegistry metrics = Metrics.registry("provider-workers");
    Outcomes outcomes = new Outcomes(ctx.kafka().topics(), ctx.catalog());
    for (ProviderSpec spec : specs) {
      ProviderEndpoint endpoint = ProviderEndpoint.of(spec, env, fallbackKey);
      ProviderClient client = new ProviderClient(ctx.vertx(), options.maxInFlight());
      ProviderAdapter adapter = ProviderAdapters.forEndpoint(endpoint, Clock.systemUTC());
      WorkerMetrics workerMetrics = new WorkerMetrics(metrics, spec.name());
      String topic = ctx.kafka().topics().providerRequests(spec.name()).name();
      WorkerLoop loop =
          new WorkerLoop(
              topic,
              ctx.kafka().topics().providerBulkRequests(spec.name()).name(),
              Clients.rawConsumer(WorkerClients.consumer(ctx, spec.name(), options)),
              Clients.producer(
                  WorkerClients.transactional(ctx, spec.name(), options, ""),
                  ctx.serdes().anySerializer()),
              Clients.producer(
                  WorkerClients.transactional(ctx, spec.name(), options, "-bulk"),
                  ctx.serdes().anySerializer()),
              ctx.serdes().of(RoutedRequest.class),
              adapter,
              new CallRunner(
                  adapter,
                  client,
                  intents,
                  ctx.catalog().priceVersion(),
                  service.guards,
                  options.callTimeout(),
                  Clock.systemUTC(),
                  workerMetrics),
              outcomes,
              service.replyTopics,
              options,
              Clock.systemUTC(),
              workerMetrics);
      Thread thread = new Thread(loop, "worker-" + spec.name());
      thread.start();
      LOG.info("worker for {} consuming {}", endpoint, topic);
      service.loops.add(loop);
      service.threads.add(thread);
      service.clients.add(client);
    }
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(
        router,
        metrics,
        Health.check(service::isHealthy, "a worker loop stopped")
            .and(Health.registry(ctx.serdes().registry())));
    service.http =
        HttpService.listen(
            ctx.vertx(), router, ctx.httpHost(), ctx.settings().intValue("workers.port", 0));
    return service;
  }

  private static List<ProviderSpec> specs(ServiceContext ctx, List<String> providers) {
    if (providers.isEmpty()) {
      return new ArrayList<>(ctx.catalog().providers());
    }
    List<ProviderSpec> specs = new ArrayList<>();
    for (String name : providers) {
      specs.add(
          ctx.catalog()
              .provider(name)
              .orElseThrow(
                  () -> new ConfigException("--provider: unknown provider '" + name + "'")));
    }
    return specs;
  }

  public boolean isHealthy() {
    return loops.stream().allMatch(WorkerLoop::isHealthy);
  }

  /** Stops fetching, finishes the calls in flight (up to the drain timeout), commits, stops. */
  @Override
  public void close() {
    loops.forEach(WorkerLoop::stop);
    stopped();
  }

  /**
   * Stops as a crash would: calls in flight are abandoned and the open transactions are never
   * committed (a restarted worker with the same instance id aborts them). For tests and chaos
   * benchmarks of what survives a crash.
   */
  public void crash() {
    loops.forEach(WorkerLoop::crash);
    stopped();
  }

  private void stopped() {
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.forEach(ProviderClient::close);
    guards.close();
    intentProducer.close(Duration.ofSeconds(5));
    replyTopics.close();
    HttpService.close(http);
  }
}
