package dev.tollgate.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.Priority;
import dev.tollgate.schemas.RoutedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk lane on a real broker: a backlog of bulk requests is served a few at a time, and an
 * interactive request sent while it drains is served at once instead of behind it.
 */
class BulkLaneTest {

  private static final int BULK = 40;

  @TempDir Path dir;

  @Test
  void anInteractiveRequestOvertakesABulkBacklog() throws Exception {
    try (WorkerFixture fixture = new WorkerFixture(dir, "replies-lanes")) {
      fixture.mock.setLatency(Duration.ofMillis(200));
      for (int i = 0; i < BULK; i++) {
        fixture.publish(
            "openai", bulk(fixture.routed("bulk-" + i, "gpt-4o-mini", "replies-lanes", "live")));
      }
      try (WorkerService workers = fixture.startWorkers("workers.bulk-max-in-flight", "4")) {
        assertThat(fixture.read("replies-lanes", LlmReply.class, 1)).isNotEmpty();
        fixture.publish(
            "openai", fixture.routed("interactive", "gpt-4o-mini", "replies-lanes", "live"));

        List<LlmReply> replies = fixture.read("replies-lanes", LlmReply.class, BULK + 1);
        assertThat(replies).hasSize(BULK + 1);
        Instant interactive =
            replies.stream()
                .filter(r -> r.getRequestId().equals("interactive"))
                .findFirst()
                .orElseThrow()
                .getRepliedAt();
        Instant lastBulk =
            replies.stream()
                .filter(r -> r.getRequestId().startsWith("bulk-"))
                .map(LlmReply::getRepliedAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        // 40 bulk calls of 200 ms, 4 at a time, take 2 s; the interactive one does not wait.
        assertThat(Duration.between(interactive, lastBulk)).isGreaterThan(Duration.ofMillis(700));
      }
    }
  }

  private static RoutedRequest bulk(RoutedRequest routed) {
    routed.getRequest().setPriority(Priority.BULK);
    return routed;
  }
}
