package dev.tollgate.router;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.kafka.TopicFollower;
import dev.tollgate.core.kafka.TopicProbe;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.Health;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.platform.streams.StreamsRunner;
import dev.tollgate.router.health.HealthWindows;
import dev.tollgate.schemas.ProviderHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The running router: its topology on Kafka Streams, the health view it routes on (fed from {@code
 * provider-health} by a {@link TopicFollower}), and {@code /metrics} and {@code /health} on {@code
 * router.port}. At-least-once by default ({@code router.processing-guarantee}).
 */
public final class RouterService implements AutoCloseable {

  private final StreamsRunner runner;
  private final TopicFollower<ProviderHealth> health;
  private final GatewayConfigView config;
  private final TopicProbe replyTopics;
  private final HttpServer http;

  private RouterService(
      StreamsRunner runner,
      TopicFollower<ProviderHealth> health,
      GatewayConfigView config,
      TopicProbe replyTopics,
      HttpServer http) {
    this.runner = runner;
    this.health = health;
    this.config = config;
    this.replyTopics = replyTopics;
    this.http = http;
  }

  /**
   * @param keys the keys and admin token of the config file, beneath those on {@code
   *     gateway-config}
   */
  public static RouterService start(ServiceContext shared, GatewayKeys keys) {
    ServiceContext ctx = shared.forService("router");
    RouterConfig settings = RouterConfig.from(ctx.settings());
    ctx.ensureTopics();
    GatewayConfigView config =
        GatewayConfigView.follow(
            ctx.kafka(), ctx.serdes(), keys, ctx.catalog(), "tollgate-router-config");
    Duration horizon = settings.healthWindow();
    HealthWindows windows = new HealthWindows(settings.healthSamples(), horizon, Clock.systemUTC());
    // Health is global: every router reads all of it, from the window's start.
    TopicFollower<ProviderHealth> health =
        TopicFollower.since(
                ctx.kafka().clientProperties("tollgate-router-health"),
                ctx.serdes().on(ctx.kafka().topics().providerHealth()),
                windows::observe,
                Instant.now().minus(horizon))
            .start();
    PrometheusMeterRegistry metrics = Metrics.registry("router");
    TopicProbe replyTopics =
        TopicProbe.of(ctx.kafka(), "tollgate-router-reply-topics", Clock.systemUTC());
    Gauge.builder(
            "tollgate_gateway_config_rejected_entries", config, GatewayConfigView::rejectedEntries)
        .description("gateway-config records ignored as invalid (each is dead-lettered)")
        .register(metrics);
    StreamsRunner runner =
        StreamsRunner.start(
            RouterTopology.build(
                ctx.kafka().topics(),
                config,
                ctx.serdes(),
                windows,
                new RouterTopology.Checks(
                    Vouch.from(ctx.settings()), replyTopics, settings.maxRequestTimeout()),
                settings.cacheMaxEntries(),
                settings.bulkDeferral()),
            StreamsRunner.properties(
                RouterTopology.APPLICATION_ID,
                ctx.kafka(),
                StreamsOptions.from(ctx.settings(), "router", StreamsConfig.AT_LEAST_ONCE)),
            metrics,
            Duration.ofSeconds(90));
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(
        router,
        metrics,
        Health.check(() -> isHealthy(runner, health, config), "router not running")
            .and(Health.registry(ctx.serdes().registry())));
    HttpServer http = HttpService.listen(ctx.vertx(), router, ctx.httpHost(), settings.port());
    return new RouterService(runner, health, config, replyTopics, http);
  }

  public boolean isHealthy() {
    return isHealthy(runner, health, config);
  }

  private static boolean isHealthy(
      StreamsRunner runner, TopicFollower<ProviderHealth> health, GatewayConfigView config) {
    return runner.isHealthy() && health.isAlive() && config.isAlive();
  }

  @Override
  public void close() {
    HttpService.close(http);
    runner.close();
    replyTopics.close();
    health.stop();
    config.close();
  }
}
