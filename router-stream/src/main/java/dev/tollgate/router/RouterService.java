package dev.tollgate.router;

import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.kafka.TopicFollower;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.platform.streams.StreamsRunner;
import dev.tollgate.router.health.HealthWindows;
import dev.tollgate.schemas.ProviderHealth;
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
  private final HttpServer http;

  private RouterService(
      StreamsRunner runner, TopicFollower<ProviderHealth> health, HttpServer http) {
    this.runner = runner;
    this.health = health;
    this.http = http;
  }

  public static RouterService start(ServiceContext ctx) {
    ctx.ensureTopics();
    Duration horizon = ctx.settings().duration("router.health-window", Duration.ofMinutes(1));
    HealthWindows windows =
        new HealthWindows(
            ctx.settings().intValue("router.health-samples", 20), horizon, Clock.systemUTC());
    // Health is global: every router reads all of it, from the window's start.
    TopicFollower<ProviderHealth> health =
        TopicFollower.since(
                ctx.kafka().clientProperties("tollgate-router-health"),
                ctx.kafka().topics().providerHealth().name(),
                ctx.serdes().of(ProviderHealth.class),
                windows::observe,
                Instant.now().minus(horizon))
            .start();
    PrometheusMeterRegistry metrics = Metrics.registry("router");
    StreamsRunner runner =
        StreamsRunner.start(
            RouterTopology.build(ctx.kafka().topics(), ctx.catalog(), ctx.serdes(), windows),
            StreamsRunner.properties(
                RouterTopology.APPLICATION_ID,
                ctx.kafka(),
                StreamsOptions.from(ctx.settings(), "router", StreamsConfig.AT_LEAST_ONCE)),
            metrics,
            Duration.ofSeconds(90));
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(router, metrics, () -> runner.isHealthy() && health.isAlive());
    HttpServer http =
        HttpService.listen(
            ctx.vertx(), router, ctx.httpHost(), ctx.settings().intValue("router.port", 0));
    return new RouterService(runner, health, http);
  }

  public boolean isHealthy() {
    return runner.isHealthy() && health.isAlive();
  }

  @Override
  public void close() {
    HttpService.close(http);
    runner.close();
    health.stop();
  }
}
