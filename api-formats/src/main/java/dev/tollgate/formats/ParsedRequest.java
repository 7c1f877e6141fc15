package dev.tollgate.formats;

import dev.tollgate.platform.requests.RequestValidator;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.EmbeddingInput;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request body read into the contract's terms, whichever API's format it came in: a chat (its
 * messages) or an embeddings request (its {@code embedding} input, no messages).
 */
public record ParsedRequest(
    String model,
    List<ChatMessage> messages,
    GenerationParams params,
    String user,
    Map<String, String> metadata,
    EmbeddingInput embedding) {

  /** A chat request. */
  public ParsedRequest(
      String model,
      List<ChatMessage> messages,
      GenerationParams params,
      String user,
      Map<String, String> metadata) {
    this(model, messages, params, user, metadata, null);
  }

  /** A request with what the body says; the caller adds ids, times and the reply topic. */
  public LlmRequest.Builder toRequest() {
    return LlmRequest.newBuilder()
        .setModel(model)
        .setMessages(messages)
        .setEmbedding(embedding)
        .setParams(params)
        .setUser(user)
        .setMetadata(metadata);
  }

  /**
   * This request, after the checks every request gets: the same as a record on {@code llm-requests}
   * gets in the router.
   */
  public ParsedRequest checked() throws InvalidRequest {
    Optional<RequestValidator.Problem> problem =
        RequestValidator.checkContent(model, messages, embedding, params, user, metadata);
    if (problem.isPresent()) {
      throw InvalidRequest.of(problem.get().message(), problem.get().param());
    }
    return this;
  }
}
