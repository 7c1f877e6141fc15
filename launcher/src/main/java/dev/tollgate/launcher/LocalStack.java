package dev.tollgate.launcher;

import dev.tollgate.batch.BatchRunner;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.embedded.registry.EmbeddedSchemaRegistry;
import dev.tollgate.ingest.IngestService;
import dev.tollgate.mock.MockPrices;
import dev.tollgate.mock.MockProvider;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.router.RouterService;
import dev.tollgate.usage.UsageService;
import dev.tollgate.workers.WorkerService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one JVM: an embedded KRaft broker and schema registry, the mock provider, and every
 * service, on data kept under one directory. Providers whose API key is not in the environment are
 * pointed at the mock. Closing stops it all in reverse order.
 */
public final class LocalStack implements AutoCloseable {

  public static final String DEMO_TEAM = "demo";
  public static final String DEMO_KEY_ID = "demo-key";
  static final String MOCK_KEY = "mock-provider-key";
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /** Ports of the local stack; 0 picks free ones (tests). */
  public record Ports(
      int kafka,
      int registry,
      int ingest,
      int usage,
      int router,
      int workers,
      int batch,
      int mock) {
    public static Ports defaults() {
      return new Ports(9092, 8081, 8080, 8082, 8083, 8084, 8085, 8090);
    }

    public static Ports ephemeral() {
      return new Ports(0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final String demoKey;
  private final String adminToken;
  private LocalBroker kafka;
  private Settings brokerSettings;
  private Path kafkaDir;
  private Path brokerLog;
  private ServiceContext ctx;
  private GatewayKeys keys;
  private Map<String, String> env;
  private RouterService router;
  private WorkerService workers;
  private IngestService ingest;
  private UsageService usage;
  private BatchRunner batches;
  private MockProvider mock;
  private String bootstrapServers;
  private String registryUrl;
  private EmbeddedSchemaRegistry registry;
  private Vertx registryVertx;
  private KafkaSettings registryKafka;

  private LocalStack(String demoKey, String adminToken) {
    this.demoKey = demoKey;
    this.adminToken = adminToken;
  }

  public static LocalStack start(
      Settings settings, Path dataDir, Ports ports, Map<String, String> env) {
    LocalStack stack =
        new LocalStack(
            LocalSecrets.readOrCreate(dataDir.resolve("demo-key")),
            LocalSecrets.readOrCreate(dataDir.resolve("admin-token")));
    try {
      stack.startAll(settings, dataDir, ports, env);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Settings base, Path dataDir, Ports ports, Map<String, String> env) {
    kafkaDir = dataDir.resolve("kafka");
    brokerLog = dataDir.resolve("broker.log");
    brokerSettings = base;
    kafka = LocalBroker.start(base, kafkaDir, ports.kafka(), brokerLog);
    started.push(kafka);
    bootstrapServers = kafka.bootstrapServers();
    Vertx vertx = Vertx.vertx();
    started.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get());

    Settings settings =
        base.with("kafka.bootstrap-servers", bootstrapServers)
            .withDefault("kafka.partitions", "3")
            .withDefault("streams.state-dir", dataDir.resolve("streams").toString())
            // One stack per data directory (Streams locks its state there): a stable member id.
            .withDefault(StreamsOptions.GROUP_INSTANCE_ID, "local")
            .withDefault(
                Vouch.SECRET_SETTING, LocalSecrets.readOrCreate(dataDir.resolve("signing-secret")));
    Optional<String> externalRegistry = base.find("kafka.schema-registry-url");
    if (externalRegistry.isPresent()) {
      // A registry of the operator's own (e.g. Confluent's beside an external cluster).
      registryUrl = externalRegistry.get();
    } else {
      // The registry gets its own event loop: a service that blocks on a registry call from its
      // event loop (it should not, but a cold cache can) must never wait on itself.
      registryVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      Vertx ownLoop = registryVertx;
      started.push(() -> ownLoop.close().toCompletionStage().toCompletableFuture().get());
      registryKafka = KafkaSettings.from(settings).forService("registry");
      registry =
          EmbeddedSchemaRegistry.start(registryVertx, registryKafka, "127.0.0.1", ports.registry());
      started.push(registry);
      registryUrl = registry.url();
      settings = settings.with("kafka.schema-registry-url", registryUrl);
    }

    mock =
        MockProvider.start(
            vertx,
            MockPrices.bundled().orCatalog(ModelCatalog.load(settings)),
            "127.0.0.1",
            ports.mock(),
            settings.duration("mock.latency", Duration.ZERO));
    started.push(mock);
    for (ProviderSpec provider : ModelCatalog.load(settings).providers()) {
      if (provider.apiKeyEnv() == null || env.get(provider.apiKeyEnv()) == null) {
        settings =
            settings.with(
                "providers." + provider.name() + ".base-url", mock.baseUrl(provider.name()));
      } else {
        LOG.info("{} uses the real API: {} is set", provider.name(), provider.apiKeyEnv());
      }
    }

    ctx =
        ServiceContext.create(
            settings
                .with("router.port", Integer.toString(ports.router()))
                .with("workers.port", Integer.toString(ports.workers()))
                .with("usage.port", Integer.toString(ports.usage()))
                .with("batch.port", Integer.toString(ports.batch()))
                .with("ingest.port", Integer.toString(ports.ingest())),
            vertx);
    keys =
        GatewayKeys.from(settings).with(DEMO_KEY_ID, DEMO_TEAM, demoKey).withAdminToken(adminToken);
    this.env = env;
    router = RouterService.start(ctx, keys);
    started.push(router);
    workers = WorkerService.start(ctx, List.of(), env, MOCK_KEY);
    started.push(workers);
    usage = UsageService.start(ctx, keys);
    started.push(usage);
    batches = BatchRunner.start(ctx);
    started.push(batches);
    ingest = IngestService.start(ctx, keys);
    started.push(ingest);
  }

  /**
   * Stops the ingest API and starts it again, everything else running on (a deploy of one service);
   * it listens on a new port when the stack's ports are ephemeral.
   */
  public void restartIngest() {
    started.remove(ingest);
    ingest.close();
    ingest = IngestService.start(ctx, keys);
    started.push(ingest);
  }

  /**
   * Stops the broker and starts it again on the same data and port, every service running on (they
   * reconnect); returns once the broker is back.
   */
  public void restartBroker() {
    started.remove(kafka);
    kafka.close();
    startBroker();
  }

  /**
   * Kills the broker process with SIGKILL (no clean shutdown) and starts it again on the same data
   * and port, every service running on; needs {@code local.broker: process}.
   */
  public void killAndRestartBroker() {
    killBroker();
    startBroker();
  }

  /**
   * Kills the broker process with SIGKILL, every service running on, until {@link #startBroker()};
   * needs {@code local.broker: process}.
   */
  public void killBroker() {
    if (!(kafka instanceof BrokerProcess process)) {
      throw new IllegalStateException("killing the broker needs local.broker: process");
    }
    started.remove(kafka);
    process.kill();
  }

  /** Starts the broker again on its data and port, after {@link #killBroker()}. */
  public void startBroker() {
    int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    kafka = LocalBroker.start(brokerSettings, kafkaDir, port, brokerLog);
    started.addLast(kafka);
  }

  /** Stops the schema registry, every service running on (an outage of the registry). */
  public void stopRegistry() throws Exception {
    started.remove(registry);
    registry.close();
  }

  /** Starts the registry stopped by {@link #stopRegistry()} on its port and its data. */
  public void startRegistry() {
    int port = Integer.parseInt(registryUrl.substring(registryUrl.lastIndexOf(':') + 1));
    registry = EmbeddedSchemaRegistry.start(registryVertx, registryKafka, "127.0.0.1", port);
    started.push(registry);
  }

  /** Stops the router (cleanly, committing what it did) and starts it again. */
  public void restartRouter() {
    stopRouter();
    startRouter();
  }

  /** Stops the router cleanly; requests wait on their topics until {@link #startRouter()}. */
  public void stopRouter() {
    started.remove(router);
    router.close();
  }

  /** Starts the router stopped by {@link #stopRouter()}. */
  public void startRouter() {
    router = RouterService.start(ctx, keys);
    started.push(router);
  }

  /**
   * Kills the workers as a crash would (calls in flight abandoned, nothing committed) and starts
   * new ones, which take over the same partitions.
   */
  public void killAndRestartWorkers() {
    started.remove(workers);
    workers.crash();
    workers = WorkerService.start(ctx, List.of(), env, MOCK_KEY);
    started.push(workers);
  }

  /** Whether every service says it is healthy. */
  public boolean isHealthy() {
    return router.isHealthy()
        && workers.isHealthy()
        && usage.isHealthy()
        && batches.isHealthy()
        && ingest.isHealthy();
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + ingest.port() + "/v1";
  }

  public String usageUrl() {
    return "http://127.0.0.1:" + usage.port() + "/v1/usage";
  }

  public String demoKey() {
    return demoKey;
  }

  public String adminToken() {
    return adminToken;
  }

  public MockProvider mock() {
    return mock;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String registryUrl() {
    return registryUrl;
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", next.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
