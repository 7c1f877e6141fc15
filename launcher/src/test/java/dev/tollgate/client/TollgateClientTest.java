package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.Settings;
import dev.tollgate.launcher.LocalStack;
import dev.tollgate.schemas.LlmReply;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client library against the whole gateway in local mode, on a real broker. */
class TollgateClientTest {

  @TempDir static Path dataDir;

  private static LocalStack stack;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static TollgateClient client(String key, String replyTopic) {
    return TollgateClient.builder()
        .bootstrapServers(stack.bootstrapServers())
        .schemaRegistryUrl(stack.registryUrl())
        .apiKey(key)
        .teamId(LocalStack.DEMO_TEAM)
        .replyTopic(replyTopic)
        .build();
  }

  private static String text(LlmReply reply) {
    return reply.getCompletion().getChoices().get(0).getMessage().getContent();
  }

  @Test
  void twoJobsAtOnceEachGetExactlyTheirOwnReplies() throws Exception {
    try (TollgateClient a = client(stack.demoKey(), "llm-replies-demo-job-a");
        TollgateClient b = client(stack.demoKey(), "llm-replies-demo-job-b")) {
      List<String> answersA = Collections.synchronizedList(new ArrayList<>());
      List<String> answersB = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> jobA = CompletableFuture.runAsync(() -> run(a, "a", answersA));
      CompletableFuture<Void> jobB = CompletableFuture.runAsync(() -> run(b, "b", answersB));
      jobA.get();
      jobB.get();

      assertThat(answersA).hasSize(20).allMatch(t -> t.startsWith("Mock reply to: job a "));
      assertThat(answersB).hasSize(20).allMatch(t -> t.startsWith("Mock reply to: job b "));
      assertThat(a.inFlight()).isZero();
    }
  }

  private static void run(TollgateClient client, String job, List<String> answers) {
    try {
      client.submitAll(
          IntStream.range(0, 20)
              .mapToObj(
                  i -> ChatRequest.to("gpt-4o-mini").user("job " + job + " " + i).maxTokens(20))
              .iterator(),
          5,
          result -> {
            assertThat(result.error()).isNull();
            answers.add(text(result.reply()));
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A backend job embeds through the Kafka path as it chats: one vector per text, billed. */
  @Test
  void aJobEmbedsTextsOverKafka() throws Exception {
    try (TollgateClient job = client(stack.demoKey(), "llm-replies-demo-embeddings")) {
      LlmReply reply =
          job.submit(
                  ChatRequest.embed(
                          "text-embedding-3-small",
                          List.of("a".repeat(400), "b".repeat(400), "c".repeat(400)))
                      .dimensions(4))
              .get();

      assertThat(reply.getEmbeddings().getVectors()).hasSize(3).allMatch(v -> v.size() == 4);
      assertThat(reply.getCostMicros())
          .isEqualTo(
              stack.mock().ledger().entries().stream()
                  .filter(e -> e.model().equals("text-embedding-3-small"))
                  .reduce((first, second) -> second)
                  .orElseThrow()
                  .costMicros());
      assertThat(reply.getCostMicros()).isPositive();
      assertThatThrownBy(
              () ->
                  job.submit(ChatRequest.embed("text-embedding-3-small", List.of("x")).user("Hi")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void errorRepliesBecomeTypedExceptions() {
    try (TollgateClient job = client(stack.demoKey(), "llm-replies-demo-errors");
        TollgateClient stranger = client("tg-not-a-key", "llm-replies-demo-stranger")) {
      assertThatThrownBy(() -> job.submit(ChatRequest.to("gpt-9").user("Hi")).get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TollgateException.NotFoundException.class)
          .hasMessageContaining("Available models");
      assertThatThrownBy(
              () -> job.submit(ChatRequest.to("gpt-4o-mini").user("Hi").maxTokens(0)).get())
          .cause()
          .isInstanceOf(TollgateException.InvalidRequestException.class);
      assertThatThrownBy(() -> stranger.submit(ChatRequest.to("gpt-4o-mini").user("Hi")).get())
          .cause()
          .isInstanceOf(TollgateException.AuthenticationException.class);
      assertThatThrownBy(() -> ChatRequest.to("gpt-4o-mini").timeout(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRequestPastItsDeadlineFailsWithDeadlineExceeded() {
    stack.mock().addFault(new JsonObject().put("model", "gpt-4.1-nano").put("latency_ms", 5_000));
    try (TollgateClient job = client(stack.demoKey(), "llm-replies-demo-deadline")) {
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () ->
                  job.submit(
                          ChatRequest.to("gpt-4.1-nano")
                              .user("Slow")
                              .timeout(Duration.ofSeconds(1)))
                      .get())
          .cause()
          .isInstanceOf(TollgateException.DeadlineExceededException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    } finally {
      stack.mock().clearFaults();
    }
  }
}
