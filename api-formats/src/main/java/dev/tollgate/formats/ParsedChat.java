package dev.tollgate.formats;

import dev.tollgate.platform.requests.RequestValidator;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.GenerationParams;
import dev.tollgate.schemas.LlmRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A chat request body read into the contract's terms, whichever API's format it came in. */
public record ParsedChat(
    String model,
    List<ChatMessage> messages,
    GenerationParams params,
    String user,
    Map<String, String> metadata) {

  /** A request with what the body says; the caller adds ids, times and the reply topic. */
  public LlmRequest.Builder toRequest() {
    return LlmRequest.newBuilder()
        .setModel(model)
        .setMessages(messages)
        .setParams(params)
        .setUser(user)
        .setMetadata(metadata);
  }

  /**
   * This request, after the checks every request gets: the same as a record on {@code llm-requests}
   * gets in the router.
   */
  public ParsedChat checked() throws InvalidRequest {
    Optional<RequestValidator.Problem> problem =
        RequestValidator.checkContent(model, messages, params, user, metadata);
    if (problem.isPresent()) {
      throw InvalidRequest.of(problem.get().message(), problem.get().param());
    }
    return this;
  }
}
