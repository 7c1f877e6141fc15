package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.client.TollgateClient;
import dev.tollgate.core.config.Settings;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small batch file with bad lines through the whole gateway, then resumed with more lines. */
class BatchRunTest {

  @TempDir Path dir;

  private static String line(String id, String model, String text) {
    return "{\"custom_id\":\""
        + id
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
        + model
        + "\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\""
        + text
        + "\"}]}}";
  }

  @Test
  void answersEveryLineReportsBadOnesAndResumes() throws Exception {
    Path input = dir.resolve("batch.jsonl");
    Path output = dir.resolve("results.jsonl");
    Files.write(
        input,
        List.of(
            line("r1", "gpt-4o-mini", "one"),
            "{not json",
            line("r2", "gpt-4o-mini", "two"),
            "{\"custom_id\":\"r3\",\"method\":\"GET\",\"url\":\"/v1/models\",\"body\":{}}",
            line("r4", "gpt-9", "unknown model"),
            "{\"custom_id\":\"r5\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[]}}",
            line("r6", "claude-3-5-haiku", "six")));
    try (LocalStack stack =
            LocalStack.start(
                Settings.empty(), dir.resolve("data"), LocalStack.Ports.ephemeral(), Map.of());
        TollgateClient client =
            TollgateClient.builder()
                .bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.registryUrl())
                .apiKey(stack.demoKey())
                .teamId(LocalStack.DEMO_TEAM)
                .replyTopic("llm-replies-demo-batch-test")
                .build()) {
      PrintStream progress =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      BatchRun run = new BatchRun(client, 4, Duration.ofSeconds(30), progress);

      BatchRun.Summary first = run.run(input, output);

      assertThat(first)
          .isEqualTo(new BatchRun.Summary(4, 3, 1, 3, 0)); // r1 r2 r6 served, r4 404; 3 bad lines
      Map<String, JsonObject> answers = answers(output);
      assertThat(answers.get("r1").getJsonObject("response").getInteger("status_code"))
          .isEqualTo(200);
      assertThat(
              answers
                  .get("r1")
                  .getJsonObject("response")
                  .getJsonObject("body")
                  .getJsonArray("choices")
                  .getJsonObject(0)
                  .getJsonObject("message")
                  .getString("content"))
          .isEqualTo("Mock reply to: one");
      assertThat(answers.get("r4").getJsonObject("response").getInteger("status_code"))
          .isEqualTo(404);
      assertThat(answers.get("r3").getJsonObject("error").getString("message"))
          .startsWith("line 4: ");
      assertThat(answers.get("r5").getJsonObject("error").getString("message"))
          .startsWith("line 6: ");
      assertThat(stack.mock().ledger().entries()).hasSize(3);

      // Stopped and run again with two more lines: only those are sent.
      Files.write(
          input,
          List.of(line("r7", "gpt-4o-mini", "seven"), line("r8", "gpt-4o-mini", "eight")),
          java.nio.file.StandardOpenOption.APPEND);
      BatchRun.Summary second = run.run(input, output);

      assertThat(second.submitted()).isEqualTo(2);
      assertThat(second.skipped()).isEqualTo(6);
      assertThat(stack.mock().ledger().entries()).hasSize(5);
      assertThat(answers(output)).containsKeys("r7", "r8");
    }
  }

  private static Map<String, JsonObject> answers(Path output) throws Exception {
    Map<String, JsonObject> byId = new java.util.HashMap<>();
    for (String line : Files.readAllLines(output)) {
      JsonObject o = new JsonObject(line);
      if (o.getString("custom_id") != null) {
        byId.put(o.getString("custom_id"), o);
      }
    }
    return byId;
  }
}
