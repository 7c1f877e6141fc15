package dev.tollgate.client;

import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.EmbeddingInput;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request as a job builds it: the model or alias, the messages (or, for an embeddings model,
 * the texts to embed), the output cap, and how long the job will wait for the answer (the request's
 * deadline; 60 s unless set).
 */
public final class ChatRequest {

  private final String model;
  private final List<ChatMessage> messages = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private Integer maxTokens;
  private Double temperature;
  private Duration timeout = Duration.ofSeconds(60);
  private GenerationParams params;
  private EmbeddingInput embedding;

  private ChatRequest(String model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** A request with its messages and parameters already built (e.g. parsed from OpenAI JSON). */
  public static ChatRequest of(
      String model,
      List<ChatMessage> messages,
      GenerationParams params,
      Map<String, String> metadata) {
    ChatRequest request = new ChatRequest(model);
    request.messages.addAll(messages);
    request.metadata.putAll(metadata);
    request.params = params;
    return request;
  }

  /** A request for {@code model} (a model name or route alias). */
  public static ChatRequest to(String model) {
    return new ChatRequest(model);
  }

  /**
   * An embeddings request for {@code model} (an embeddings model): the reply's {@code embeddings}
   * hold one vector per text, in order.
   */
  public static ChatRequest embed(String model, List<String> texts) {
    ChatRequest request = new ChatRequest(model);
    request.embedding = EmbeddingInput.newBuilder().setInputs(List.copyOf(texts)).build();
    return request;
  }

  /** The vectors' length, for embeddings models that can shorten them. */
  public ChatRequest dimensions(int dimensions) {
    if (embedding == null) {
      throw new IllegalStateException("dimensions are for embeddings requests");
    }
    embedding.setDimensions(dimensions);
    return this;
  }

  public ChatRequest system(String text) {
    return message("system", text);
  }

  public ChatRequest user(String text) {
    return message("user", text);
  }

  public ChatRequest assistant(String text) {
    return message("assistant", text);
  }

  public ChatRequest message(String role, String text) {
    messages.add(ChatMessage.newBuilder().setRole(role).setContent(text).build());
    return this;
  }

  public ChatRequest maxTokens(int maxTokens) {
    this.maxTokens = maxTokens;
    return this;
  }

  public ChatRequest temperature(double temperature) {
    this.temperature = temperature;
    return this;
  }

  /** A metadata entry: routing constraints ({@code tollgate.providers}), cache settings, tags. */
  public ChatRequest metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** How long to wait for the answer; the gateway gives up at the same deadline. */
  public ChatRequest timeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return this;
  }

  public Duration timeout() {
    return timeout;
  }

  LlmRequest toRecord(String requestId, String teamId, String replyTopic, Instant now) {
    if (messages.isEmpty() == (embedding == null)) {
      throw new IllegalArgumentException(
          embedding == null
              ? "a chat request needs at least one message"
              : "an embeddings request has no messages");
    }
    return LlmRequest.newBuilder()
        .setRequestId(requestId)
        .setTeamId(teamId)
        .setKeyId("")
        .setModel(model)
        .setMessages(List.copyOf(messages))
        .setEmbedding(embedding)
        .setParams(
            params != null
                ? params
                : GenerationParams.newBuilder()
                    .setMaxTokens(maxTokens)
                    .setTemperature(temperature)
                    .build())
        .setMetadata(Map.copyOf(metadata))
        .setReplyTo(replyTopic)
        .setCreatedAt(now)
        .setDeadlineAt(now.plus(timeout))
        .build();
  }
}
