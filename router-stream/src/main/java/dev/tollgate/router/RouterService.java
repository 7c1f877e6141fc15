package dev.tollgate.router;

import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.platform.streams.StreamsRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The running router: its topology on Kafka Streams plus {@code /metrics} and {@code /health} on
 * {@code router.port}. At-least-once by default ({@code router.processing-guarantee}): routing is a
 * pure function of the request, so a replay routes the same way (DESIGN.md).
 */
public final class RouterService implements AutoCloseable {

  private final StreamsRunner runner;
  private final HttpServer http;

  private RouterService(StreamsRunner runner, HttpServer http) {
    this.runner = runner;
    this.http = http;
  }

  public static RouterService start(ServiceContext ctx) {
    ctx.ensureTopics();
    PrometheusMeterRegistry metrics = Metrics.registry("router");
    StreamsRunner runner =
        StreamsRunner.start(
            RouterTopology.build(ctx.kafka().topics(), ctx.catalog(), ctx.serdes()),
            StreamsRunner.properties(
                RouterTopology.APPLICATION_ID,
                ctx.kafka(),
                StreamsOptions.from(ctx.settings(), "router", StreamsConfig.AT_LEAST_ONCE)),
            metrics,
            Duration.ofSeconds(90));
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(router, metrics, runner::isHealthy);
    HttpServer http =
        HttpService.listen(
            ctx.vertx(), router, ctx.httpHost(), ctx.settings().intValue("router.port", 0));
    return new RouterService(runner, http);
  }

  public boolean isHealthy() {
    return runner.isHealthy();
  }

  public int port() {
    return http.actualPort();
  }

  @Override
  public void close() {
    HttpService.close(http);
    runner.close();
  }
}
