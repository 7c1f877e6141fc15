package dev.tollgate.launcher;

import dev.tollgate.core.config.Settings;
import dev.tollgate.platform.service.ServiceContext;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as its own process until Ctrl-C or SIGTERM, and exits non-zero if the service
 * turns unhealthy (a failed Streams client, a dead worker loop), so a supervisor restarts it rather
 * than leaving a process that no longer works.
 */
final class ServiceProcess {

  /** A started service and how to tell that it still works. */
  record Running(AutoCloseable service, BooleanSupplier healthy) {}

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

  private ServiceProcess() {}

  static int run(String name, Settings settings, Function<ServiceContext, Running> starter) {
    Vertx vertx = Vertx.vertx();
    Running running;
    try {
      running = starter.apply(ServiceContext.create(settings, vertx));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    LOG.info("{} started", name);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("{} stopping", name);
                  close(running.service());
                  vertx.close();
                  stopped.countDown();
                }));
    try {
      while (!stopped.await(5, TimeUnit.SECONDS)) {
        if (!running.healthy().getAsBoolean()) {
          LOG.error("{} is no longer healthy; exiting so it can be restarted", name);
          return 1;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void close(AutoCloseable service) {
    try {
      service.close();
    } catch (Exception e) {
      LOG.warn("error while stopping: {}", e.toString());
    }
  }
}
