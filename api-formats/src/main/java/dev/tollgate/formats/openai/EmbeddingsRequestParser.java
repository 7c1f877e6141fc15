package dev.tollgate.formats.openai;

import static dev.tollgate.formats.BodyFields.integer;
import static dev.tollgate.formats.BodyFields.optionalText;
import static dev.tollgate.formats.BodyFields.requiredText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import dev.tollgate.schemas.EmbeddingInput;
import dev.tollgate.schemas.GenerationParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OpenAI embeddings request ({@code POST /v1/embeddings}, or a batch line's body): {@code
 * input} a string or an array of strings, {@code dimensions}, {@code encoding_format}, {@code
 * user}. Token arrays as input are refused by name (not yet served); unknown fields as OpenAI
 * refuses them.
 */
public final class EmbeddingsRequestParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("model", "input", "dimensions", "encoding_format", "user");

  public ParsedRequest parse(String body) throws InvalidRequest {
    try {
      return parse(JSON.readTree(body));
    } catch (JsonProcessingException e) {
      throw InvalidRequest.of(
          "We could not parse the JSON body of your request: " + e.getOriginalMessage(), null);
    }
  }

  /** Parses a body already read as JSON (a batch line's {@code body}). */
  public ParsedRequest parse(JsonNode root) throws InvalidRequest {
    if (root == null || !root.isObject()) {
      throw InvalidRequest.of("The request body must be a JSON object.", null);
    }
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field) && !root.get(field).isNull()) {
        throw InvalidRequest.of("Unrecognized request argument supplied: " + field, field);
      }
    }
    String format = optionalText(root, "encoding_format", "encoding_format");
    EmbeddingInput input =
        EmbeddingInput.newBuilder()
            .setInputs(inputs(root.path("input")))
            .setDimensions(integer(root, "dimensions", 1, "dimensions"))
            .setEncodingFormat(format == null ? "float" : format)
            .build();
    return new ParsedRequest(
            requiredText(root, "model", "model"),
            List.of(),
            GenerationParams.newBuilder().build(),
            optionalText(root, "user", "user"),
            Map.of(),
            input)
        .checked();
  }

  private static List<String> inputs(JsonNode input) throws InvalidRequest {
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
      return texts;
    }
    if (!input.isArray()) {
      throw InvalidRequest.of("'input' is required: a string or an array of strings.", "input");
    }
    for (JsonNode text : input) {
      if (text.isNumber() || text.isArray()) {
        throw InvalidRequest.of(
            "'input' as token ids is not supported by Tollgate yet; send text.", "input");
      }
      if (!text.isTextual()) {
        throw InvalidRequest.of("'input' must contain only strings.", "input");
      }
      texts.add(text.asText());
    }
    return texts;
  }
}
