package dev.tollgate.formats.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.platform.files.FileLines;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.ReplyError;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * OpenAI's Batch line formats: input lines ({@code {"custom_id","method","url","body"}}) and the
 * output and error lines written for them, for chat completions and embeddings. Shared by the Batch
 * API and {@code tollgate batch}.
 */
public final class BatchLines {

  /** The endpoint of chat batches. */
  public static final String CHAT = "/v1/chat/completions";

  /** The endpoint of embeddings batches. */
  public static final String EMBEDDINGS = "/v1/embeddings";

  /** The endpoints a batch may run; each of its lines must name the batch's. */
  public static final List<String> ENDPOINTS = List.of(CHAT, EMBEDDINGS);

  /** An input line that parsed. */
  public record Line(String customId, ParsedRequest request) {}

  /** An input line that did not, with its custom_id when it had one. */
  public static final class BadLine extends Exception {

    private final String customId;

    BadLine(String customId, String message) {
      super(message, null, false, false);
      this.customId = customId;
    }

    public String customId() {
      return customId;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChatRequestParser chats = new ChatRequestParser();
  private final EmbeddingsRequestParser embeddings = new EmbeddingsRequestParser();

  /** Parses one input line of a batch on {@code endpoint} (one of {@link #ENDPOINTS}). */
  public Line parse(String text, String endpoint) throws BadLine {
    if (FileLines.isOversized(text)) {
      throw new BadLine(
          FileLines.oversizedCustomId(text),
          "the line is " + FileLines.oversizedBytes(text) + " bytes, over the line size limit");
    }
    JsonNode line;
    try {
      line = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadLine(null, "not a JSON object");
    }
    if (line == null || !line.isObject()) {
      throw new BadLine(null, "not a JSON object");
    }
    JsonNode id = line.path("custom_id");
    if (!id.isTextual() || id.asText().isBlank()) {
      throw new BadLine(null, "custom_id: required, a string");
    }
    String customId = id.asText();
    if (!"POST".equals(line.path("method").asText())
        || !endpoint.equals(line.path("url").asText())) {
      throw new BadLine(customId, "method and url must be POST " + endpoint);
    }
    if (!line.path("body").isObject()) {
      throw new BadLine(customId, "body: required, an object");
    }
    try {
      JsonNode body = line.get("body");
      return new Line(
          customId, EMBEDDINGS.equals(endpoint) ? embeddings.parse(body) : chats.parse(body));
    } catch (InvalidRequest e) {
      throw new BadLine(customId, e.getMessage());
    }
  }

  /** The line's custom_id, if it is a JSON object with one; else null. */
  public static String customId(String line) {
    if (FileLines.isOversized(line)) {
      return FileLines.oversizedCustomId(line);
    }
    try {
      JsonNode id = JSON.readTree(line).path("custom_id");
      return id.isTextual() ? id.asText() : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The line for a request the gateway answered: its completion, embeddings or error reply. */
  public static JsonObject answered(String customId, LlmReply reply) {
    ReplyError error = reply.getError();
    if (error == null) {
      JsonObject body =
          reply.getEmbeddings() != null
              ? EmbeddingsJson.list(reply)
              : CompletionJson.completion(reply);
      return response(customId, reply.getRequestId(), 200, body);
    }
    return response(
        customId,
        reply.getRequestId(),
        error.getHttpStatus(),
        CompletionJson.error(error).toJson());
  }

  /** An output line: the HTTP status and body the request got. */
  public static JsonObject response(
      String customId, String requestId, int status, JsonObject body) {
    return new JsonObject()
        .put("id", "batch_req_" + requestId)
        .put("custom_id", customId)
        .put(
            "response",
            new JsonObject()
                .put("status_code", status)
                .put("request_id", requestId)
                .put("body", body))
        .putNull("error");
  }

  /** An error line for a request that was never sent: a bad line, an expired batch. */
  public static JsonObject failed(String customId, String requestId, String code, String message) {
    return new JsonObject()
        .put("id", "batch_req_" + requestId)
        .put("custom_id", customId)
        .putNull("response")
        .put("error", new JsonObject().put("code", code).put("message", message));
  }
}
