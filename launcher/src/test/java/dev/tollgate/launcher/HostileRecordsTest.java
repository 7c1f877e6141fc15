package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.testkit.TopicReads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and careless records on {@code llm-requests}, on a real broker through the whole local
 * stack: each gets exactly one outcome (an error reply on a reply topic its team may use, or a dead
 * letter with the reason, or both when the sender was authenticated), no record is ever written to
 * a topic a request names but may not use, and requests around them, on HTTP and on Kafka, are
 * served as usual.
 */
class HostileRecordsTest {

  private static final String REPLIES = "llm-replies-demo-hostile";

  @TempDir Path dataDir;

  /** What one bad record must end as. */
  private record Expected(String id, Integer replyStatus, String deadLetterReason) {}

  private final Map<String, Expected> expected = new LinkedHashMap<>();
  private final BearerHttp http = new BearerHttp();

  @Test
  void everyBadRecordHasItsOneOutcomeAndNothingStops() throws Exception {
    try (LocalStack stack =
            LocalStack.start(Settings.empty(), dataDir, LocalStack.Ports.ephemeral(), Map.of());
        Hostile hostile = new Hostile(stack)) {
      String key = stack.demoKey();
      String hash = KeyHash.sha256(key);

      // Bytes that are no request at all.
      hostile.raw("junk", "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8), key);
      expect("junk", null, "undecodable: not in the Confluent Avro wire format");
      hostile.raw("empty", new byte[0], key);
      expect("empty", null, "undecodable: not in the Confluent Avro wire format");
      hostile.raw("tombstone", null, key);
      expect("tombstone", null, "empty value (tombstone)");
      hostile.raw("unknown-id", new byte[] {0, 0x7f, 0, 0, 1, 2, 3}, key);
      expect("unknown-id", null, "undecodable: unknown writer schema id 2130706433");

      // No usable key: a 401 only where the record key's team may be answered, else nowhere.
      hostile.send(null, request("no-team").setReplyTo("llm-replies-demo-nope"), h -> {});
      expect("no-team", null, "401 invalid_api_key: no record key");
      hostile.send("demo", request("anon-missing").setReplyTo("llm-replies-demo-nope"), h -> {});
      expect("anon-missing", null, "401 invalid_api_key: reply topic unusable");
      hostile.send("demo", request("anon"), h -> {});
      expect("anon", 401, null);
      hostile.send("demo", request("forged"), h -> h.add(RequestHeaders.KEY_SHA256, ascii(hash)));
      expect("forged", 401, null);
      hostile.send(
          "demo",
          request("bad-vouch"),
          h -> {
            h.add(RequestHeaders.KEY_SHA256, ascii(hash));
            h.add(RequestHeaders.VOUCH, new byte[32]);
          });
      expect("bad-vouch", 401, null);

      // A valid key, and a reply topic the team may not or cannot use: a dead letter only.
      Consumer<RecordHeaders> valid = h -> h.add(RequestHeaders.API_KEY, ascii(key));
      hostile.send("demo", request("missing").setReplyTo("llm-replies-demo-nope"), valid);
      expect("missing", null, "reply topic unusable: topic 'llm-replies-demo-nope' does not exist");
      hostile.send("demo", request("requests").setReplyTo("llm-requests"), valid);
      expect("requests", null, "reply_to 'llm-requests' is not one of team 'demo''s");
      hostile.send("demo", request("illegal").setReplyTo("not a topic!"), valid);
      expect("illegal", null, "reply_to 'not a topic!' is not a legal topic name");
      hostile.send("demo", request("foreign").setReplyTo("llm-replies-other-jobs"), valid);
      expect("foreign", null, "reply_to 'llm-replies-other-jobs' is not one of team 'demo''s");

      // A valid key and bad fields: the sender hears why, and so does the dead-letter topic.
      hostile.send("other", request("wrong-key"), valid);
      expect("wrong-key", 400, "Requests must be keyed by their team id");
      hostile.send(
          "demo", request("nan").setParams(params().setTemperature(Double.NaN).build()), valid);
      expect("nan", 400, "'temperature' must be a number between 0.0 and 2.0.");
      hostile.send("demo", request("negative").setParams(params().setMaxTokens(-1).build()), valid);
      expect("negative", 400, "'max_tokens' must be an integer between 1");
      hostile.send("demo", request("json").setParams(params().setToolsJson("[{").build()), valid);
      expect("json", 400, "'tools' is not valid JSON");
      hostile.send(
          "demo",
          request("role")
              .setMessages(
                  List.of(ChatMessage.newBuilder().setRole("root").setContent("Hi").build())),
          valid);
      expect("role", 400, "messages[0].role must be one of");
      Map<String, String> big = new HashMap<>();
      for (int i = 0; i < 40; i++) {
        big.put("k" + i, "v");
      }
      hostile.send("demo", request("metadata").setMetadata(big), valid);
      expect("metadata", 400, "'metadata' may hold at most 32 entries.");
      String longId = "x".repeat(200);
      hostile.send("demo", request(longId), valid);
      expect(longId, 400, "request_id must be 1-128 characters");
      hostile.send("demo", request("late").setDeadlineAt(Instant.now().minusSeconds(5)), valid);
      expect("late", 504, null);
      hostile.send("demo", request("reused"), valid);
      hostile.send("demo", request("reused").setModel("gpt-4o"), valid);
      expect("reused", 409, "request_id 'reused' was already used for another request.");

      // Records from another language's client (librdkafka's kcat), where it is installed: the
      // bytes a careless job sends, and a good request in Confluent's wire format.
      boolean foreign = Kcat.installed();
      if (foreign) {
        hostile.kcat("kcat-json", ascii("{\"model\": \"gpt-4o-mini\"}"), key);
        expect("kcat-json", null, "undecodable: not in the Confluent Avro wire format");
        hostile.kcat("demo", hostile.encoded(request("kcat-good")), key);
      } else {
        System.out.println("kcat is not installed: the records from a foreign client are skipped");
      }

      // Around them, everyone else is served as usual.
      HttpResponse served =
          HttpResponse.of(
              http.send(
                  "POST",
                  stack.apiUrl() + "/chat/completions",
                  key,
                  "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
      assertThat(served.status()).as(served.body()).isEqualTo(200);
      hostile.send("demo", request("good"), valid);

      // One reply per answered bad record, the first "reused" one served, and "good".
      int withReply = (int) expected.values().stream().filter(e -> e.replyStatus() != null).count();
      Map<String, List<LlmReply>> replies = hostile.replies(withReply + (foreign ? 3 : 2));
      Map<String, List<DeadLetter>> letters = hostile.deadLetters();
      assertThat(replies.get("good"))
          .singleElement()
          .satisfies(r -> assertThat(r.getError()).isNull());
      assertThat(replies.get("reused")).as("the first is served, the second refused").hasSize(2);
      if (foreign) {
        assertThat(replies.get("kcat-good"))
            .singleElement()
            .satisfies(r -> assertThat(r.getError()).isNull());
      }
      for (Expected e : expected.values()) {
        List<LlmReply> answered = replies.getOrDefault(e.id(), List.of());
        if (e.replyStatus() == null) {
          assertThat(answered).as("no reply to " + e.id()).isEmpty();
        } else {
          assertThat(answered)
              .as("replies to " + e.id())
              .extracting(r -> r.getError() == null ? 200 : r.getError().getHttpStatus())
              .contains(e.replyStatus());
        }
        List<DeadLetter> dead = letters.getOrDefault(e.id(), List.of());
        if (e.deadLetterReason() == null) {
          assertThat(dead).as("no dead letter for " + e.id()).isEmpty();
        } else {
          assertThat(dead)
              .as("dead letters for " + e.id())
              .singleElement()
              .satisfies(l -> assertThat(l.getReason()).contains(e.deadLetterReason()));
          assertThat(dead.get(0).toString()).doesNotContain(key).doesNotContain(hash);
        }
      }
      assertThat(hostile.topicExists("llm-replies-demo-nope")).isFalse();
      assertThat(hostile.topicExists("llm-replies-other-jobs")).isFalse();
    }
  }

  private void expect(String id, Integer replyStatus, String deadLetterReason) {
    expected.put(id, new Expected(id, replyStatus, deadLetterReason));
  }

  private static LlmRequest.Builder request(String id) {
    Instant now = Instant.now();
    return LlmRequest.newBuilder()
        .setRequestId(id)
        .setTeamId("demo")
        .setKeyId("")
        .setModel("gpt-4o-mini")
        .setMessages(List.of(ChatMessage.newBuilder().setRole("user").setContent("Hi").build()))
        .setParams(params().build())
        .setReplyTo(REPLIES)
        .setCreatedAt(now)
        .setDeadlineAt(now.plusSeconds(30));
  }

  private static GenerationParams.Builder params() {
    return GenerationParams.newBuilder().setMaxTokens(5);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** A status and body. */
  private record HttpResponse(int status, String body) {
    static HttpResponse of(java.net.http.HttpResponse<String> response) {
      return new HttpResponse(response.statusCode(), response.body());
    }
  }

  /** A producer of anything to {@code llm-requests}, and readers of what came of it. */
  private static final class Hostile implements AutoCloseable {

    private final Properties props = new Properties();
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<LlmRequest> requests;
    private final AvroSerde<LlmReply> replySerde;
    private final AvroSerde<DeadLetter> letterSerde;
    private final Admin admin;

    Hostile(LocalStack stack) throws Exception {
      props.put("bootstrap.servers", stack.bootstrapServers());
      admin = Admin.create(props);
      admin.createTopics(List.of(new NewTopic(REPLIES, 1, (short) 1))).all().get();
      producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
      HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(stack.registryUrl());
      requests = new AvroSerde<>(registry, LlmRequest.class);
      replySerde = new AvroSerde<>(registry, LlmReply.class);
      letterSerde = new AvroSerde<>(registry, DeadLetter.class);
    }

    void raw(String recordKey, byte[] value, String apiKey) throws Exception {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>("llm-requests", recordKey, value);
      record.headers().add(RequestHeaders.API_KEY, ascii(apiKey));
      producer.send(record).get();
    }

    byte[] encoded(LlmRequest.Builder request) {
      return requests.serialize("llm-requests", request.build());
    }

    /** Sends {@code value} with kcat (librdkafka), with a backend job's key header. */
    void kcat(String recordKey, byte[] value, String apiKey) throws Exception {
      Kcat.produce(
          props.getProperty("bootstrap.servers"),
          "llm-requests",
          recordKey,
          Map.of(RequestHeaders.API_KEY, apiKey),
          value);
    }

    void send(String recordKey, LlmRequest.Builder request, Consumer<RecordHeaders> headers)
        throws Exception {
      RecordHeaders h = new RecordHeaders();
      headers.accept(h);
      producer
          .send(
              new ProducerRecord<>(
                  "llm-requests",
                  null,
                  recordKey,
                  requests.serialize("llm-requests", request.build()),
                  h))
          .get();
    }

    /** The replies on the test's reply topic by request id, once {@code count} have come. */
    Map<String, List<LlmReply>> replies(int count) {
      Map<String, List<LlmReply>> byId = new HashMap<>();
      int[] seen = {0};
      read(
          REPLIES,
          Duration.ofSeconds(30),
          r -> {
            LlmReply reply = replySerde.deserialize(REPLIES, r.value());
            byId.computeIfAbsent(reply.getRequestId(), k -> new ArrayList<>()).add(reply);
            return ++seen[0] >= count;
          });
      return byId;
    }

    /** Every dead letter so far, by request id (or source key when undecodable). */
    Map<String, List<DeadLetter>> deadLetters() {
      Map<String, List<DeadLetter>> byId = new HashMap<>();
      read(
          "llm-requests-dlq",
          Duration.ofSeconds(3),
          r -> {
            DeadLetter letter = letterSerde.deserialize("llm-requests-dlq", r.value());
            String id =
                letter.getRequest() != null
                    ? letter.getRequest().getRequestId()
                    : letter.getSourceKey();
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(letter);
            return false;
          });
      return byId;
    }

    boolean topicExists(String topic) throws Exception {
      return admin.listTopics().names().get().contains(topic);
    }

    /** Reads {@code topic} from the start until {@code done} says so or {@code limit} passes. */
    private void read(
        String topic, Duration limit, Predicate<ConsumerRecord<String, byte[]>> done) {
      TopicReads.readThrough(props, topic, done, limit);
    }

    @Override
    public void close() {
      producer.close();
      admin.close();
    }
  }
}
