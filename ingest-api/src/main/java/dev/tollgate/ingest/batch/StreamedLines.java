package dev.tollgate.ingest.batch;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends lines as a response body from a blocking thread, in pieces of about {@value #PIECE_BYTES}
 * bytes, waiting for each piece to be written before reading on: a download of any size holds one
 * piece in memory, and a slow client slows the read instead of filling the heap. Nothing is sent
 * before the first piece is full, so a read that fails early can still be answered with an error.
 */
final class StreamedLines implements Consumer<String> {

  static final int PIECE_BYTES = 64 * 1024;
  private static final long WRITE_TIMEOUT_SECONDS = 60;

  private final HttpServerResponse response;
  private Buffer piece = Buffer.buffer(PIECE_BYTES);
  private boolean started;

  StreamedLines(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public void accept(String line) {
    piece.appendString(line).appendString("\n");
    if (piece.length() >= PIECE_BYTES) {
      if (!started) {
        response.setChunked(true).putHeader("Content-Type", "application/octet-stream");
        started = true;
      }
      send(response.write(piece));
      piece = Buffer.buffer(PIECE_BYTES);
    }
  }

  /** Ends the body; a body smaller than a piece goes as one response with its length. */
  void end() {
    if (!started) {
      response.putHeader("Content-Type", "application/octet-stream");
    }
    send(response.end(piece));
  }

  /** Whether part of the body was sent: a failure now can only cut the response off. */
  boolean started() {
    return started;
  }

  private static void send(io.vertx.core.Future<Void> written) {
    try {
      written
          .toCompletionStage()
          .toCompletableFuture()
          .get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the client stopped reading: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
