package dev.tollgate.platform.http;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts JSON to a webhook with retries: an answer that is not 2xx, or no answer, is tried again
 * after an exponential backoff (doubling from {@code firstBackoff} up to {@code maxBackoff}), up to
 * {@code maxAttempts} times. Each post carries an {@code Idempotency-Key} so the receiver can drop
 * the repeats that at-least-once delivery makes. Blocking: run it on a thread of its own; an
 * interrupt stops the retries.
 */
public final class WebhookPost {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookPost.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Retry retry;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /**
   * @param name what is delivered, for the log lines
   * @param maxAttempts how many posts at most ({@link Integer#MAX_VALUE}: until it is taken)
   */
  public WebhookPost(String name, int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    this.name = name;
    this.retry =
        Retry.of(
            name,
            RetryConfig.<Integer>custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(firstBackoff, 2.0, maxBackoff))
                .retryOnResult(status -> status / 100 != 2)
                .retryExceptions(IOException.class)
                .failAfterMaxAttempts(false)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                LOG.warn(
                    "{}: attempt {} failed ({}); retrying in {}",
                    name,
                    e.getNumberOfRetryAttempts(),
                    e.getLastThrowable() == null ? "not 2xx" : e.getLastThrowable().toString(),
                    e.getWaitInterval()));
  }

  /**
   * Posts {@code json} to {@code url}; whether a 2xx answer came before the attempts ran out.
   *
   * @throws InterruptedException when interrupted while posting or backing off
   */
  public boolean post(URI url, String idempotencyKey, String json) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      int status =
          Retry.decorateCallable(
                  retry,
                  () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
              .call();
      if (Thread.interrupted()) {
        throw new InterruptedException("stopped while posting " + name);
      }
      return status / 100 == 2;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("stopped while posting " + name);
      }
      LOG.error("{} {} to {}: given up: {}", name, idempotencyKey, url, e.toString());
      return false;
    }
  }
}
