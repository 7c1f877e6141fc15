package dev.tollgate.usage;

import dev.tollgate.platform.auth.GatewayKeys;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.kafka.TopicAdmin;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.platform.streams.StreamsRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The running usage aggregator: its topology with exactly-once processing (the ledger side, where
 * latency does not matter), and the usage query API, {@code /metrics} and {@code /health} on {@code
 * usage.port}.
 */
public final class UsageService implements AutoCloseable {

  private final StreamsRunner runner;
  private final HttpServer http;
  private final GatewayConfigView config;

  private UsageService(StreamsRunner runner, HttpServer http, GatewayConfigView config) {
    this.runner = runner;
    this.http = http;
    this.config = config;
  }

  /**
   * @param keys the keys and admin token of the config file, beneath those on {@code
   *     gateway-config}
   */
  public static UsageService start(ServiceContext ctx, GatewayKeys keys) {
    ctx.ensureTopics();
    GatewayConfigView config =
        GatewayConfigView.follow(
            ctx.kafka(), ctx.serdes(), keys, ctx.catalog(), "tollgate-usage-config");
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(
        List.of(
            admin.compacted(
                ctx.kafka().topics().teamSpendTotals().name(), ctx.kafka().partitions())));
    PrometheusMeterRegistry metrics = Metrics.registry("usage-aggregator");
    Duration retention = ctx.settings().duration("usage.dedup-retention", Duration.ofDays(7));
    StreamsRunner runner =
        StreamsRunner.start(
            UsageTopology.build(ctx.kafka().topics(), ctx.serdes(), retention),
            StreamsRunner.properties(
                UsageTopology.APPLICATION_ID,
                ctx.kafka(),
                StreamsOptions.from(ctx.settings(), "usage", StreamsConfig.EXACTLY_ONCE_V2)),
            metrics,
            Duration.ofSeconds(90));
    Router router = Router.router(ctx.vertx());
    new UsageHttp(new UsageQueries(runner.streams()), config).mount(router);
    HttpService.mountOperations(router, metrics, () -> runner.isHealthy() && config.isAlive());
    HttpServer http =
        HttpService.listen(
            ctx.vertx(), router, ctx.httpHost(), ctx.settings().intValue("usage.port", 0));
    return new UsageService(runner, http, config);
  }

  public int port() {
    return http.actualPort();
  }

  public boolean isHealthy() {
    return runner.isHealthy() && config.isAlive();
  }

  @Override
  public void close() {
    HttpService.close(http);
    runner.close();
    config.close();
  }
}
