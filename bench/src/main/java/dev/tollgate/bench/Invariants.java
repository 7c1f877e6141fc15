package dev.tollgate.bench;

import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.launcher.LocalStack;
import dev.tollgate.mock.LedgerEntry;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.ReplyError;
import dev.tollgate.schemas.UsageEvent;
import dev.tollgate.schemas.UsageKind;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * DESIGN.md's invariants, checked after a chaos run from what Kafka, the aggregator and the mock
 * provider's ledger hold: every request one reply; dead letters exactly for the requests that
 * failed at a provider; spend equal to the provider's bill to the micro-dollar; no budget
 * overshoot.
 */
final class Invariants {

  private static final Duration SETTLE = Duration.ofSeconds(3);

  private final LocalStack stack;
  private final AvroSerdes serdes;
  private final HttpClient http;
  private Map<String, List<LlmReply>> replies = Map.of();

  Invariants(LocalStack stack, AvroSerdes serdes, HttpClient http) {
    this.stack = stack;
    this.serdes = serdes;
    this.http = http;
  }

  /** Waits until every one of {@code ids} has a reply, or the deadline. */
  void awaitReplies(List<String> ids, long deadline) {
    replies = replies();
    while (!replies.keySet().containsAll(ids) && System.nanoTime() < deadline) {
      pause(Duration.ofMillis(250));
      replies = replies();
    }
  }

  long served() {
    return replies.values().stream().filter(r -> r.get(0).getError() == null).count();
  }

  /** The error replies by status and code, e.g. {@code 429 budget_exceeded}. */
  Map<String, Long> errors() {
    Map<String, Long> errors = new TreeMap<>();
    for (List<LlmReply> answers : replies.values()) {
      ReplyError error = answers.get(0).getError();
      if (error != null) {
        errors.merge(error.getHttpStatus() + " " + error.getCode(), 1L, Long::sum);
      }
    }
    return errors;
  }

  /** The team's spend in the aggregator once it has counted at least {@code calls} calls. */
  long aggregatorSpend(long calls, long deadline) {
    JsonObject total = aggregatorTotal();
    while (total.getLong("calls", 0L) < calls && System.nanoTime() < deadline) {
      pause(Duration.ofMillis(250));
      total = aggregatorTotal();
    }
    return total.getLong("cost_micros", 0L);
  }

  List<ChaosRun.Check> check(List<String> ids, long capMicros, long deadline) {
    // Anything sent twice would have arrived by now: read once more after a pause.
    pause(SETTLE);
    replies = replies();
    List<ChaosRun.Check> checks = new ArrayList<>();
    checks.add(oneReplyEach(ids));
    checks.add(deadLetters(ids));
    List<UsageEvent> billed = new ArrayList<>();
    List<UsageEvent> inDoubt = usage(billed);
    long billedMicros = billed.stream().mapToLong(UsageEvent::getCostMicros).sum();
    long inDoubtMicros = inDoubt.stream().mapToLong(UsageEvent::getWorstCaseMicros).sum();
    List<LedgerEntry> ledger = settledLedger();
    long ledgerMicros = ledger.stream().mapToLong(LedgerEntry::costMicros).sum();
    checks.add(spendMatchesLedger(ledger, billed, inDoubt.size(), billedMicros, deadline));
    checks.add(
        new ChaosRun.Check(
            "the provider's bill within billed and billed plus in doubt",
            billedMicros <= ledgerMicros && ledgerMicros <= billedMicros + inDoubtMicros,
            "ledger "
                + ledgerMicros
                + ", billed "
                + billedMicros
                + ", in doubt at worst "
                + inDoubtMicros
                + " micro-USD"));
    checks.add(
        new ChaosRun.Check(
            "no budget overshoot",
            ledgerMicros <= capMicros,
            "the provider billed " + ledgerMicros + " of a " + capMicros + " micro-USD cap"));
    return checks;
  }

  private ChaosRun.Check oneReplyEach(List<String> ids) {
    long missing = ids.stream().filter(id -> !replies.containsKey(id)).count();
    long doubled =
        ids.stream().filter(id -> replies.getOrDefault(id, List.of()).size() > 1).count();
    return new ChaosRun.Check(
        "every request got exactly one reply",
        missing == 0 && doubled == 0,
        ids.size() + " requests, " + missing + " without a reply, " + doubled + " with more");
  }

  private ChaosRun.Check deadLetters(List<String> ids) {
    Map<String, Integer> letters = new HashMap<>();
    for (DeadLetter letter : read("llm-requests-dlq", DeadLetter.class)) {
      if (letter.getRequest() != null) {
        letters.merge(letter.getRequest().getRequestId(), 1, Integer::sum);
      }
    }
    int wrong = 0;
    int failedAtProvider = 0;
    for (String id : ids) {
      List<LlmReply> answers = replies.getOrDefault(id, List.of());
      int count = letters.getOrDefault(id, 0);
      boolean failed = !answers.isEmpty() && answers.get(0).getError() != null;
      boolean reachedProvider = failed && !answers.get(0).getAttempts().isEmpty();
      failedAtProvider += reachedProvider ? 1 : 0;
      if (count > 1 || (count == 1 && !failed) || (reachedProvider && count != 1)) {
        wrong++;
      }
    }
    return new ChaosRun.Check(
        "every failure one dead letter",
        wrong == 0,
        failedAtProvider + " failed at a provider, " + wrong + " with a wrong dead-letter count");
  }

  /**
   * Matches the provider's ledger to the billed usage events call for call, by provider, model,
   * tokens and cost (the mock's call ids are its own): every billed call must be on the ledger, and
   * the only ledger entries without a billed call may be calls in doubt (a crash cut them off after
   * the provider billed them).
   */
  private ChaosRun.Check spendMatchesLedger(
      List<LedgerEntry> ledger,
      List<UsageEvent> billed,
      int inDoubt,
      long billedMicros,
      long deadline) {
    Map<String, Integer> unmatched = new HashMap<>();
    long ledgerMicros = 0;
    for (LedgerEntry entry : ledger) {
      ledgerMicros += entry.costMicros();
      unmatched.merge(
          callKey(
              entry.provider(),
              entry.model(),
              entry.tokens().input(),
              entry.tokens().cachedInput(),
              entry.tokens().output(),
              entry.costMicros()),
          1,
          Integer::sum);
    }
    int billedNotOnLedger = 0;
    for (UsageEvent event : billed) {
      String key =
          callKey(
              event.getProvider(),
              event.getProviderModel(),
              event.getUsage().getInputTokens(),
              event.getUsage().getCachedInputTokens(),
              event.getUsage().getOutputTokens(),
              event.getCostMicros());
      if (unmatched.getOrDefault(key, 0) > 0) {
        unmatched.merge(key, -1, Integer::sum);
      } else {
        billedNotOnLedger++;
      }
    }
    int ledgerNotBilled = unmatched.values().stream().mapToInt(Integer::intValue).sum();
    long aggregated = aggregatorSpend(billed.size(), deadline);
    return new ChaosRun.Check(
        "spend equals the provider's ledger",
        billedNotOnLedger == 0 && ledgerNotBilled <= inDoubt && aggregated == billedMicros,
        "billed "
            + billedMicros
            + ", aggregator "
            + aggregated
            + ", ledger "
            + ledgerMicros
            + " micro-USD; "
            + billedNotOnLedger
            + " billed calls not on the ledger, "
            + ledgerNotBilled
            + " ledger calls not billed, "
            + inDoubt
            + " calls in doubt");
  }

  private static String callKey(
      String provider, String model, long input, long cached, long output, long costMicros) {
    return String.join(
        "|",
        provider,
        model,
        Long.toString(input),
        Long.toString(cached),
        Long.toString(output),
        Long.toString(costMicros));
  }

  /**
   * The billed usage events, each call once, into {@code billed}; returns the announcements of the
   * calls never resolved.
   */
  private List<UsageEvent> usage(List<UsageEvent> billed) {
    Map<String, UsageEvent> inDoubt = new HashMap<>();
    Set<String> resolved = new HashSet<>();
    for (UsageEvent event : read("usage-events", UsageEvent.class)) {
      if (event.getKind() == UsageKind.IN_DOUBT) {
        inDoubt.putIfAbsent(event.getCallId(), event);
      } else if (resolved.add(event.getCallId()) && event.getKind() == UsageKind.BILLED) {
        billed.add(event);
      }
    }
    inDoubt.keySet().removeAll(resolved);
    return new ArrayList<>(inDoubt.values());
  }

  /** The mock's ledger once calls abandoned by a crash have been billed too (it stops growing). */
  private List<LedgerEntry> settledLedger() {
    int size = -1;
    List<LedgerEntry> entries = stack.mock().ledger().entries();
    while (entries.size() != size) {
      size = entries.size();
      pause(Duration.ofSeconds(1));
      entries = stack.mock().ledger().entries();
    }
    return entries;
  }

  private Map<String, List<LlmReply>> replies() {
    Map<String, List<LlmReply>> byId = new HashMap<>();
    for (LlmReply reply : read(ChaosRun.REPLIES, LlmReply.class)) {
      byId.computeIfAbsent(reply.getRequestId(), k -> new ArrayList<>()).add(reply);
    }
    return byId;
  }

  /** Every committed record of {@code topic}, from its beginning to its end now. */
  private <T extends SpecificRecord> List<T> read(String topic, Class<T> type) {
    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    props.put("isolation.level", "read_committed");
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            values.add(serdes.of(type).deserialize(topic, r.value()));
          }
        }
      }
    }
    return values;
  }

  private JsonObject aggregatorTotal() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(stack.usageUrl() + "/teams/" + LocalStack.DEMO_TEAM))
                  .header("Authorization", "Bearer " + stack.demoKey())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? new JsonObject(response.body()) : new JsonObject();
    } catch (IOException e) {
      return new JsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JsonObject();
    }
  }

  private static void pause(Duration duration) {
    try {
      // Waiting on other processes' asynchronous work (replies, the aggregator, the ledger).
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
