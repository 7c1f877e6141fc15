package dev.tollgate.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookPostTest {

  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private URI url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 204, -1);
          exchange.close();
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void triesAgainUntilTakenWithTheSameIdempotencyKey() throws Exception {
    failuresLeft.set(2);
    WebhookPost post = new WebhookPost("test", 5, Duration.ofMillis(10), Duration.ofMillis(20));

    assertThat(post.post(url, "id-1", "{}")).isTrue();

    assertThat(keys).containsExactly("id-1", "id-1", "id-1");
  }

  @Test
  void givesUpAfterItsAttempts() throws Exception {
    failuresLeft.set(10);
    WebhookPost post = new WebhookPost("test", 3, Duration.ofMillis(10), Duration.ofMillis(20));

    assertThat(post.post(url, "id-2", "{}")).isFalse();

    assertThat(keys).hasSize(3);
  }

  @Test
  void anUnreachableWebhookIsGivenUpToo() throws Exception {
    server.stop(0);
    WebhookPost post = new WebhookPost("test", 2, Duration.ofMillis(10), Duration.ofMillis(20));

    assertThat(post.post(url, "id-3", "{}")).isFalse();
  }
}
