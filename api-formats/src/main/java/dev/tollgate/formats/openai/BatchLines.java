package dev.tollgate.formats.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedChat;
import dev.tollgate.platform.files.FileLines;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.ReplyError;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's Batch line formats: input lines ({@code {"custom_id","method","url","body"}}) and the
 * output and error lines written for them. Shared by the Batch API and {@code tollgate batch}.
 */
public final class BatchLines {

  /** The one endpoint batches run. */
  public static final String ENDPOINT = "/v1/chat/completions";

  /** An input line that parsed. */
  public record Line(String customId, ParsedChat chat) {}

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

  private final ChatRequestParser parser = new ChatRequestParser();

  /** Parses one input line. */
  public Line parse(String text) throws BadLine {
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
        || !ENDPOINT.equals(line.path("url").asText())) {
      throw new BadLine(customId, "method and url must be POST " + ENDPOINT);
    }
    if (!line.path("body").isObject()) {
      throw new BadLine(customId, "body: required, an object");
    }
    try {
      return new Line(customId, parser.parse(line.get("body")));
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

  /** The line for a request the gateway answered: its completion or its error reply. */
  public static JsonObject answered(String customId, LlmReply reply) {
    ReplyError error = reply.getError();
    return error == null
        ? response(customId, reply.getRequestId(), 200, CompletionJson.completion(reply))
        : response(
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
