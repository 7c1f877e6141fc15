package dev.tollgate.batch;

import dev.tollgate.core.auth.Vouch;
import dev.tollgate.platform.files.BatchStorage;
import dev.tollgate.platform.http.Health;
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
 * The running batch runner: the batch topology on Kafka Streams (exactly-once by default: {@code
 * batch.processing-guarantee}), and {@code /metrics} and {@code /health} on {@code batch.port}.
 * Ingest's Files and Batch APIs create and cancel batches; this runs them.
 */
public final class BatchRunner implements AutoCloseable {

  private final StreamsRunner runner;
  private final HttpServer http;

  private BatchRunner(StreamsRunner runner, HttpServer http) {
    this.runner = runner;
    this.http = http;
  }

  public static BatchRunner start(ServiceContext shared) {
    ServiceContext ctx = shared.forService("batch");
    BatchRunnerConfig config = BatchRunnerConfig.from(ctx.settings());
    ctx.ensureTopics();
    BatchStorage storage = BatchStorage.ensure(ctx.kafka(), ctx.serdes());
    PrometheusMeterRegistry metrics = Metrics.registry("batch-runner");
    StreamsRunner runner =
        StreamsRunner.start(
            BatchTopology.build(
                ctx.kafka().topics(),
                ctx.serdes(),
                Vouch.from(ctx.settings()),
                config,
                () -> storage.reader("tollgate-batch-runner-files")),
            StreamsRunner.properties(
                BatchTopology.APPLICATION_ID,
                ctx.kafka(),
                StreamsOptions.offInteractivePath(
                    ctx.settings(), "batch", StreamsConfig.EXACTLY_ONCE_V2)),
            metrics,
            Duration.ofSeconds(60));
    Router router = Router.router(ctx.vertx());
    HttpService.mountOperations(
        router,
        metrics,
        Health.check(runner::isHealthy, "batch runner not running")
            .and(Health.registry(ctx.serdes().registry())));
    HttpServer http = HttpService.listen(ctx.vertx(), router, ctx.httpHost(), config.port());
    return new BatchRunner(runner, http);
  }

  public boolean isHealthy() {
    return runner.isHealthy();
  }

  @Override
  public void close() {
    HttpService.close(http);
    runner.close();
  }
}
