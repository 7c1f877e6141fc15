package dev.tollgate.client;

import dev.tollgate.core.auth.RequestHeaders;
import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.kafka.TopicFollower;
import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits chat requests to {@code llm-requests} with the job's gateway key in the record header,
 * and completes each request's future from the job's own reply topic: with the reply, or with the
 * {@link TollgateException} its error reply stands for, or with {@link
 * TollgateException.DeadlineExceededException} when nothing came by the request's deadline (plus
 * two seconds for the reply to travel).
 *
 * <p>Each running instance of a job should name its own reply topic (created here if missing): an
 * instance reads every reply on its topic and completes only its own requests, so instances that
 * share one still work, but each then reads all of their replies.
 *
 * <p>Cancelling a future stops waiting for it; the request is already on Kafka and will still be
 * served (and billed).
 */
public final class TollgateClient implements AutoCloseable {

  private static final Duration REPLY_GRACE = Duration.ofSeconds(2);

  private final KafkaSettings kafka;
  private final String apiKey;
  private final String teamId;
  private final String replyTopic;
  private final Clock clock;
  private final KafkaProducer<String, LlmRequest> producer;
  private final TopicFollower<LlmReply> replies;
  private final Map<String, CompletableFuture<LlmReply>> pending = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor deadlines = deadlineTimer();

  private TollgateClient(Builder b) {
    Settings settings =
        Settings.empty()
            .with("kafka.bootstrap-servers", b.bootstrapServers)
            .with("kafka.schema-registry-url", b.schemaRegistryUrl)
            .with("kafka.topic-prefix", b.topicPrefix);
    for (Map.Entry<String, String> p : b.settings.entrySet()) {
      settings = settings.with(p.getKey(), p.getValue());
    }
    this.kafka = KafkaSettings.from(settings);
    this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey");
    this.teamId = Objects.requireNonNull(b.teamId, "teamId");
    this.replyTopic = Objects.requireNonNull(b.replyTopic, "replyTopic");
    this.clock = b.clock;
    HttpSchemaRegistryClient registry =
        new HttpSchemaRegistryClient(b.schemaRegistryUrl, kafka.registry());
    TopicAdmin admin = new TopicAdmin(kafka);
    admin.ensure(List.of(admin.topic(replyTopic)));
    var props = kafka.clientProperties("tollgate-client-" + replyTopic);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            new AvroSerde<>(registry, LlmRequest.class).serializer());
    this.replies =
        TopicFollower.fromEnd(
                kafka.clientProperties("tollgate-client-replies-" + replyTopic),
                new AvroSerdes(registry).on(Topics.replyTopic(replyTopic)),
                this::complete)
            .start();
  }

  /** One daemon thread for every deadline; a deadline cancelled by its reply leaves the queue. */
  private static ScheduledThreadPoolExecutor deadlineTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tollgate-client-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Submits {@code request}; the future completes with its reply, or exceptionally with a {@link
   * TollgateException}. Throws {@link IllegalArgumentException} at once for a request with no
   * messages.
   */
  public CompletableFuture<LlmReply> submit(ChatRequest request) {
    String id = "job-" + UUID.randomUUID();
    LlmRequest record = request.toRecord(id, teamId, replyTopic, clock.instant());
    CompletableFuture<LlmReply> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () ->
                fail(
                    id,
                    new TollgateException.DeadlineExceededException(
                        "no reply to " + id + " within " + request.timeout())),
            request.timeout().plus(REPLY_GRACE).toMillis(),
            TimeUnit.MILLISECONDS);
    // Every path below leaves pending before it completes the future, so that inFlight() is
    // already down when the caller's stages run; a caller's cancel() leaves it here.
    reply.whenComplete(
        (r, e) -> {
          pending.remove(id);
          deadline.cancel(false);
        });
    ProducerRecord<String, LlmRequest> message =
        new ProducerRecord<>(kafka.topics().requests().name(), teamId, record);
    message.headers().add(RequestHeaders.API_KEY, apiKey.getBytes(StandardCharsets.UTF_8));
    producer.send(
        message,
        (meta, e) -> {
          if (e != null) {
            fail(
                id,
                new TollgateException(
                    503, "service_unavailable", "kafka_unavailable", e.getMessage()));
          }
        });
    return reply;
  }

  /** A request and how it ended: its reply, or the error. */
  public record Result(ChatRequest request, LlmReply reply, TollgateException error) {}

  /**
   * Submits every request of {@code requests}, at most {@code maxInFlight} waiting at a time, and
   * hands each result to {@code onResult} (on the reply thread) as it comes; returns when all have
   * ended.
   */
  public void submitAll(Iterator<ChatRequest> requests, int maxInFlight, Consumer<Result> onResult)
      throws InterruptedException {
    Semaphore slots = new Semaphore(maxInFlight);
    while (requests.hasNext()) {
      slots.acquire();
      ChatRequest request = requests.next();
      submit(request)
          .whenComplete(
              (reply, e) -> {
                try {
                  onResult.accept(new Result(request, reply, e == null ? null : unwrap(e)));
                } finally {
                  slots.release();
                }
              });
    }
    slots.acquire(maxInFlight);
    slots.release(maxInFlight);
  }

  private static TollgateException unwrap(Throwable e) {
    Throwable cause = e instanceof CompletionException ? e.getCause() : e;
    return cause instanceof TollgateException t
        ? t
        : new TollgateException(500, "client_error", null, String.valueOf(cause));
  }

  private void fail(String id, TollgateException error) {
    CompletableFuture<LlmReply> future = pending.remove(id);
    if (future != null) {
      future.completeExceptionally(error);
    }
  }

  private void complete(LlmReply reply) {
    CompletableFuture<LlmReply> future = pending.remove(reply.getRequestId());
    if (future == null) {
      return; // another instance's request, or one this instance gave up on
    }
    if (reply.getError() == null) {
      future.complete(reply);
    } else {
      future.completeExceptionally(TollgateException.of(reply.getError()));
    }
  }

  /** How many requests are waiting for their reply. */
  public int inFlight() {
    return pending.size();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    replies.stop();
    deadlines.shutdownNow();
  }

  /** Where the gateway is, and who the job is. */
  public static final class Builder {
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private String topicPrefix = "";
    private String apiKey;
    private String teamId;
    private String replyTopic;
    private Clock clock = Clock.systemUTC();
    private final Map<String, String> settings = new LinkedHashMap<>();

    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    public Builder schemaRegistryUrl(String url) {
      this.schemaRegistryUrl = url;
      return this;
    }

    /** The gateway's topic prefix, if it has one. */
    public Builder topicPrefix(String prefix) {
      this.topicPrefix = prefix;
      return this;
    }

    /**
     * A Kafka client property for every client the library makes (e.g. {@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}): what the
     * job needs to reach a secured cluster as its team's principal.
     */
    public Builder kafkaProperty(String name, String value) {
      settings.put("kafka.properties." + name, value);
      return this;
    }

    /** Basic auth to the schema registry, {@code user:password} (Confluent's user info). */
    public Builder schemaRegistryBasicAuth(String userInfo) {
      settings.put("kafka.schema-registry.basic-auth-user-info", userInfo);
      return this;
    }

    /** A bearer token for the schema registry. */
    public Builder schemaRegistryBearerToken(String token) {
      settings.put("kafka.schema-registry.bearer-auth-token", token);
      return this;
    }

    /** A trust store for a registry whose TLS certificate a private CA signed (PKCS12). */
    public Builder schemaRegistryTruststore(String location, String password) {
      settings.put("kafka.schema-registry.ssl-truststore-location", location);
      settings.put("kafka.schema-registry.ssl-truststore-password", password);
      return this;
    }

    /** The job's gateway key (its secret). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The key's team: requests are keyed by it on {@code llm-requests}. */
    public Builder teamId(String teamId) {
      this.teamId = teamId;
      return this;
    }

    /**
     * The job's own reply topic (created if missing): one of its team's, {@code
     * llm-replies-<team>-...} unless the team's config names another prefix.
     */
    public Builder replyTopic(String replyTopic) {
      this.replyTopic = replyTopic;
      return this;
    }

    public TollgateClient build() {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
      return new TollgateClient(this);
    }
  }
}
