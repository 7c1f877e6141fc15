package dev.tollgate.usage;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.Health;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.platform.metrics.Metrics;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.platform.streams.StreamsRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The running usage aggregator: its topology with exactly-once processing (the ledger side, where
 * latency does not matter), one standby replica of its tables by default, and the usage query API,
 * {@code /metrics} and {@code /health} on {@code usage.port}, advertised to the other instances as
 * {@code usage.advertised-host} (default {@code http.host}) and the port.
 */
public final class UsageService implements AutoCloseable {

  private final StreamsRunner runner;
  private final HttpServer http;
  private final GatewayConfigView config;
  private final AlertWebhook webhook;

  private UsageService(
      StreamsRunner runner, HttpServer http, GatewayConfigView config, AlertWebhook webhook) {
    this.runner = runner;
    this.http = http;
    this.config = config;
    this.webhook = webhook;
  }

  /**
   * @param keys the keys and admin token of the config file, beneath those on {@code
   *     gateway-config}
   */
  public static UsageService start(ServiceContext shared, GatewayKeys keys) {
    ServiceContext ctx = shared.forService("usage");
    UsageConfig settings = UsageConfig.from(ctx.settings(), ctx.httpHost());
    ctx.ensureTopics();
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    List<NewTopic> tables = new ArrayList<>();
    int partitions = ctx.kafka().partitions();
    tables.add(admin.compacted(ctx.kafka().topics().teamSpendTotals().name(), partitions));
    for (SpendTable table : SpendTable.values()) {
      tables.add(
          admin.compacted(ctx.kafka().topics().spendTable(table.tableName()).name(), partitions));
    }
    tables.add(admin.compacted(ctx.kafka().topics().deploymentStats().name(), partitions));
    tables.add(admin.topic(ctx.kafka().topics().budgetAlerts().name()));
    admin.ensure(tables);
    GatewayConfigView config =
        GatewayConfigView.follow(
            ctx.kafka(), ctx.serdes(), keys, ctx.catalog(), "tollgate-usage-config");
    PrometheusMeterRegistry metrics = Metrics.registry("usage-aggregator");

    // The API listens first: its address is how the other instances reach this one.
    AtomicReference<UsageQueries> queries = new AtomicReference<>();
    AtomicReference<StreamsRunner> streams = new AtomicReference<>();
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(
        router,
        metrics,
        Health.check(
                () -> streams.get() != null && streams.get().isHealthy(),
                "usage aggregator (Kafka Streams) not running")
            .and(Health.check(config::isAlive, "gateway-config follower stopped"))
            .and(Health.registry(ctx.serdes().registry())));
    HttpServer http = HttpService.listen(ctx.vertx(), router, ctx.httpHost(), settings.port());
    HostInfo self = new HostInfo(settings.advertisedHost(), http.actualPort());
    new UsageHttp(queries::get, config, self, Clock.systemUTC()).mount(router);

    Properties props =
        StreamsRunner.properties(
            UsageTopology.APPLICATION_ID,
            ctx.kafka(),
            StreamsOptions.offInteractivePath(
                ctx.settings(), "usage", StreamsConfig.EXACTLY_ONCE_V2));
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
    try {
      StreamsRunner runner =
          StreamsRunner.start(
              UsageTopology.build(
                  ctx.kafka().topics(),
                  ctx.serdes(),
                  settings.dedupRetention(),
                  config::team,
                  settings.grace(),
                  settings.publishInterval()),
              props,
              metrics,
              Duration.ofSeconds(90));
      streams.set(runner);
      queries.set(new UsageQueries(runner.streams()));
      AlertWebhook webhook =
          settings
              .alertWebhook()
              .map(
                  url ->
                      new AlertWebhook(
                              ctx.kafka().clientProperties("tollgate-alert-webhook"),
                              ctx.kafka().topics().prefix() + "tollgate-budget-alert-webhook",
                              ctx.serdes().on(ctx.kafka().topics().budgetAlerts()),
                              url)
                          .start())
              .orElse(null);
      return new UsageService(runner, http, config, webhook);
    } catch (RuntimeException e) {
      HttpService.close(http);
      config.close();
      throw e;
    }
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
    if (webhook != null) {
      webhook.close();
    }
    runner.close();
    config.close();
  }
}
