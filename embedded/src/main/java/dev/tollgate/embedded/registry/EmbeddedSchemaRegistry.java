package dev.tollgate.embedded.registry;

import dev.tollgate.core.kafka.KafkaSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Confluent-compatible schema registry served from this JVM, for local mode and tests. With a
 * Kafka log it keeps schemas in a compacted topic, so ids survive restarts; it is meant for one
 * instance, not as a replacement for a production registry.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private final HttpServer server;
  private final AutoCloseable log;

  private EmbeddedSchemaRegistry(HttpServer server, AutoCloseable log) {
    this.server = server;
    this.log = log;
  }

  /**
   * A registry persisted in Kafka, on {@code host:port} (port 0 picks a free one). When {@code
   * kafka}'s registry settings name basic-auth credentials, it answers only requests that carry
   * them, as a secured registry would.
   */
  public static EmbeddedSchemaRegistry start(
      Vertx vertx, KafkaSettings kafka, String host, int port) {
    KafkaSchemaLog log = KafkaSchemaLog.open(kafka);
    SchemaStore store = new SchemaStore(log::append);
    log.replayInto(store);
    return serve(vertx, store, kafka.registry().basicUserInfo(), host, port, log);
  }

  /** A registry that forgets everything when it stops. */
  public static EmbeddedSchemaRegistry startInMemory(Vertx vertx, String host, int port) {
    return serve(vertx, SchemaStore.inMemory(), Optional.empty(), host, port, () -> {});
  }

  private static EmbeddedSchemaRegistry serve(
      Vertx vertx,
      SchemaStore store,
      Optional<String> userInfo,
      String host,
      int port,
      AutoCloseable log) {
    Router router = new RegistryRoutes(store).router(vertx, userInfo);
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(router)
              .listen(port, host)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return new EmbeddedSchemaRegistry(server, log);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("schema registry cannot listen on " + host + ":" + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the schema registry", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    log.close();
  }
}
