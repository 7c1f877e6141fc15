package dev.tollgate.ingest.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the lines of an upload (UTF-8, ended by {@code \n} or {@code \r\n}) holding at most {@code
 * maxLineBytes} of one line in memory: a longer line is counted to its end but only its first
 * {@value #HEAD_BYTES} bytes are kept, so a file of one 200 MiB line costs no more than a file of
 * short ones. Not thread-safe.
 */
final class BoundedLines {

  /** A line: its text, or for one over the bound only its size and the start of it. */
  record Line(String text, long bytes, String head) {

    boolean isOversized() {
      return text == null;
    }
  }

  static final int HEAD_BYTES = 4096;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private byte[] line = new byte[1024];
  private int kept;
  private long bytes;

  BoundedLines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the input. */
  Line next() throws IOException {
    kept = 0;
    bytes = 0;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? finish() : null;
        }
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      keep(start, position - start);
      if (position < limit) {
        position++;
        return finish();
      }
    }
  }

  private void keep(int from, int length) {
    bytes += length;
    int room = (int) Math.min(length, Math.max(0, (long) maxLineBytes + 1 - kept));
    if (room > 0) {
      if (kept + room > line.length) {
        line =
            Arrays.copyOf(line, Math.max(kept + room, Math.min(line.length * 2, maxLineBytes + 1)));
      }
      System.arraycopy(buffer, from, line, kept, room);
      kept += room;
    }
  }

  private Line finish() {
    if (bytes <= maxLineBytes + 1L && kept > 0 && line[kept - 1] == '\r') {
      kept--;
      bytes--;
    }
    if (bytes > maxLineBytes) {
      return new Line(
          null, bytes, new String(line, 0, Math.min(kept, HEAD_BYTES), StandardCharsets.UTF_8));
    }
    return new Line(new String(line, 0, kept, StandardCharsets.UTF_8), bytes, null);
  }
}
