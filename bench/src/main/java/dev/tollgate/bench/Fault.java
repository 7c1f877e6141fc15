package dev.tollgate.bench;

import dev.tollgate.launcher.LocalStack;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** What a chaos scenario does to the stack a third of the way into its load. */
enum Fault {
  /** Mixed provider errors from the start: 429 with Retry-After, 500, 503, timeouts. */
  FAULTS {
    @Override
    void inject(LocalStack stack) {}

    @Override
    void before(LocalStack stack) {
      stack
          .mock()
          .addFault(
              new JsonObject()
                  .put("provider", "openai")
                  .put(
                      "error_rates",
                      new JsonObject()
                          .put("429", 0.10)
                          .put("500", 0.05)
                          .put("503", 0.05)
                          .put("timeout", 0.02))
                  .put("retry_after_ms", 200)
                  .put("timeout_ms", 2_000));
    }
  },
  /** The primary provider down for five seconds in the middle of the load. */
  OUTAGE {
    @Override
    void inject(LocalStack stack) {
      stack.mock().addFault(new JsonObject().put("provider", "openai").put("outage_ms", 5_000));
    }
  },
  /** The workers killed (calls in flight abandoned, nothing committed) and restarted. */
  WORKER {
    @Override
    void inject(LocalStack stack) {
      stack.killAndRestartWorkers();
    }
  },
  /**
   * The broker process killed with SIGKILL and restarted on the same data and port, every service
   * running on (the scenario runs the broker in its own process).
   */
  BROKER {
    @Override
    void inject(LocalStack stack) {
      stack.killAndRestartBroker();
    }
  },
  /** The router stopped and restarted. */
  ROUTER {
    @Override
    void inject(LocalStack stack) {
      stack.restartRouter();
    }
  };

  /** Set-up before the load starts. */
  void before(LocalStack stack) {}

  /** The fault itself, a third of the way in. */
  abstract void inject(LocalStack stack);

  /** The scenario's name: {@code chaos-faults}, {@code chaos-outage}, ... */
  String scenario() {
    return "chaos-" + name().toLowerCase(Locale.ROOT);
  }

  static Fault of(String scenario) {
    return valueOf(scenario.substring("chaos-".length()).toUpperCase(Locale.ROOT));
  }
}
