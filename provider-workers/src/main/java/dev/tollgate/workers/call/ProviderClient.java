package dev.tollgate.workers.call;

import dev.tollgate.workers.adapter.HttpCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;

/**
 * Sends provider calls with Vert.x's non-blocking client and keep-alive pools, so one worker holds
 * many calls in flight without a thread each.
 */
public final class ProviderClient implements AutoCloseable {

  private final WebClient client;

  public ProviderClient(Vertx vertx, int maxConnections) {
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setUserAgent("tollgate"),
            new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  /** Posts {@code call}, failing the future if nothing comes back within {@code timeout}. */
  Future<HttpResponse<Buffer>> post(HttpCall call, Duration timeout) {
    HttpRequest<Buffer> request =
        client.postAbs(call.url()).timeout(Math.max(1, timeout.toMillis()));
    call.headers().forEach(request::putHeader);
    return request.sendBuffer(Buffer.buffer(call.body()));
  }

  @Override
  public void close() {
    client.close();
  }
}
