package dev.tollgate.launcher;

import dev.tollgate.batch.BatchRunner;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.ingest.IngestService;
import dev.tollgate.mock.MockPrices;
import dev.tollgate.mock.MockProvider;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.router.RouterService;
import dev.tollgate.usage.UsageService;
import dev.tollgate.workers.WorkerService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code tollgate} command: all-in-one local mode, or one service per process. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    version = "tollgate 0.1.0",
    description = "An event-driven AI gateway on Apache Kafka.",
    subcommands = {
      UpCommand.class,
      AdminCommand.class,
      AclsCommand.class,
      BatchCommand.class,
      BrokerCommand.class,
      DlqCommand.class,
      Tollgate.Router.class,
      Tollgate.Workers.class,
      Tollgate.Ingest.class,
      Tollgate.BatchRunnerCommand.class,
      Tollgate.Aggregator.class,
      Tollgate.Mock.class
    })
public final class Tollgate {

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Tollgate());
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof ConfigException) {
            command.getErr().println("tollgate: configuration error: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    System.exit(cli.execute(args));
  }

  @Command(name = "router", description = "Run the router (Kafka Streams).")
  static final class Router implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Override
    public Integer call() {
      return ServiceProcess.run(
          "router",
          connection.settings(),
          ctx -> {
            RouterService service = RouterService.start(ctx, GatewayKeys.from(ctx.settings()));
            return new ServiceProcess.Running(service, service::isHealthy);
          });
    }
  }

  @Command(name = "workers", description = "Run provider workers.")
  static final class Workers implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Option(
        names = "--provider",
        description = "A provider to serve (repeatable; default: all in the catalog).")
    List<String> providers = new ArrayList<>();

    @Override
    public Integer call() {
      return ServiceProcess.run(
          "workers",
          connection.settings(),
          ctx -> {
            WorkerService service = WorkerService.start(ctx, providers, System.getenv(), null);
            return new ServiceProcess.Running(service, service::isHealthy);
          });
    }
  }

  @Command(name = "ingest", description = "Run the OpenAI-compatible ingest API.")
  static final class Ingest implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Override
    public Integer call() {
      return ServiceProcess.run(
          "ingest-api",
          connection.settings(),
          ctx -> {
            IngestService service = IngestService.start(ctx, GatewayKeys.from(ctx.settings()));
            return new ServiceProcess.Running(service, service::isHealthy);
          });
    }
  }

  @Command(
      name = "batch-runner",
      description = "Run the batch runner (Kafka Streams): the batches the Batch API creates.")
  static final class BatchRunnerCommand implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Override
    public Integer call() {
      return ServiceProcess.run(
          "batch-runner",
          connection.settings(),
          ctx -> {
            BatchRunner service = BatchRunner.start(ctx);
            return new ServiceProcess.Running(service, service::isHealthy);
          });
    }
  }

  @Command(name = "aggregator", description = "Run the usage aggregator and its query API.")
  static final class Aggregator implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Override
    public Integer call() {
      return ServiceProcess.run(
          "usage-aggregator",
          connection.settings(),
          ctx -> {
            UsageService service = UsageService.start(ctx, GatewayKeys.from(ctx.settings()));
            return new ServiceProcess.Running(service, service::isHealthy);
          });
    }
  }

  @Command(name = "mock-provider", description = "Run the mock provider on its own.")
  static final class Mock implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    @Option(
        names = "--port",
        defaultValue = "8090",
        description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
      var settings = connection.settings();
      var vertx = io.vertx.core.Vertx.vertx();
      MockProvider mock =
          MockProvider.start(
              vertx,
              MockPrices.bundled().orCatalog(ModelCatalog.load(settings)),
              settings.string("http.host", "127.0.0.1"),
              port,
              settings.duration("mock.latency", java.time.Duration.ZERO));
      System.out.println("Mock provider on " + mock.baseUrl("<provider>"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    mock.close();
                    vertx.close();
                  }));
      Thread.currentThread().join();
      return 0;
    }
  }
}
