package dev.tollgate.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.platform.files.FileLines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

  @Test
  void readsLinesEndedByNewlineOrCrlfAndTheLastWithoutEnd() throws IOException {
    List<BoundedLines.Line> lines = all(bytes("a\r\n\nb\u00e9\nlast"), 1024);
    assertThat(lines)
        .extracting(BoundedLines.Line::text)
        .containsExactly("a", "", "b\u00e9", "last");
    assertThat(lines.get(2).bytes()).isEqualTo(3);
  }

  @Test
  void aLineOfHundredsOfMegabytesIsCountedButNotHeld() throws IOException {
    long huge = 300L * 1024 * 1024;
    InputStream in =
        new SequenceInputStream(
            new SequenceInputStream(bytes("{\"custom_id\": \"big\", \"x\": \""), new Zeros(huge)),
            bytes("\"}\n{\"custom_id\": \"small\"}\n"));
    long heapBefore = usedHeap();

    List<BoundedLines.Line> lines = all(in, 1024);

    assertThat(lines).hasSize(2);
    BoundedLines.Line big = lines.get(0);
    assertThat(big.isOversized()).isTrue();
    assertThat(big.bytes()).isEqualTo(huge + 29);
    assertThat(FileLines.oversizedCustomId(FileLines.oversized(big.head(), big.bytes())))
        .isEqualTo("big");
    assertThat(big.head()).hasSizeLessThanOrEqualTo(BoundedLines.HEAD_BYTES);
    assertThat(lines.get(1).text()).isEqualTo("{\"custom_id\": \"small\"}");
    assertThat(usedHeap() - heapBefore).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void aLineOfExactlyTheBoundIsKept() throws IOException {
    List<BoundedLines.Line> lines = all(bytes("x".repeat(1024) + "\r\n" + "y".repeat(1025)), 1024);
    assertThat(lines.get(0).text()).hasSize(1024);
    assertThat(lines.get(1).isOversized()).isTrue();
    assertThat(lines.get(1).bytes()).isEqualTo(1025);
  }

  private static List<BoundedLines.Line> all(InputStream in, int max) throws IOException {
    BoundedLines reader = new BoundedLines(in, max);
    List<BoundedLines.Line> lines = new ArrayList<>();
    for (BoundedLines.Line line = reader.next(); line != null; line = reader.next()) {
      lines.add(line);
    }
    return lines;
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** {@code length} bytes of '0', made as they are read. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long length) {
      this.left = length;
    }

    @Override
    public int read() {
      return left-- > 0 ? '0' : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) '0');
      left -= n;
      return n;
    }
  }
}
