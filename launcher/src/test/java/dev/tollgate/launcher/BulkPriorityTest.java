package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.config.Settings;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.Priority;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router takes a waiting interactive request before bulk requests produced shortly before it
 * (decision 0023): with a team limited to one request a minute, the one request let through is the
 * interactive one, though twenty bulk requests were on their topic first.
 */
class BulkPriorityTest {

  private static final int BULK = 20;

  @TempDir Path dataDir;

  @Test
  void aWaitingInteractiveRequestGoesBeforeOlderBulkOnes() throws Exception {
    BearerHttp http = new BearerHttp();
    try (LocalStack stack =
        LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of())) {
      String key = http.newTeamKey(stack, "acme", "{\"limits\":{\"requests_per_minute\":1}}");

      try (KafkaJob job = new KafkaJob(stack, "llm-replies-acme-priority")) {
        // Both wait on their topics while the router is down, the bulk requests produced first.
        stack.stopRouter();
        List<String> bulk = new ArrayList<>();
        for (int i = 0; i < BULK; i++) {
          bulk.add(job.send(key, "acme", Priority.BULK));
        }
        String interactive = job.send(key, "acme", Priority.INTERACTIVE);
        stack.startRouter();

        Map<String, LlmReply> replies = job.awaitReplies(BULK + 1);
        assertThat(replies.get(interactive).getError()).isNull();
        assertThat(bulk)
            .allSatisfy(
                id -> assertThat(replies.get(id).getError().getHttpStatus()).isEqualTo(429));
      }
    }
  }
}
