package dev.tollgate.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gemini {@code generateContent}: the model in the path, cached tokens inside {@code
 * promptTokenCount}, thoughts apart from {@code candidatesTokenCount}.
 */
final class GeminiFormat implements WireFormat {

  /**
   * The fields of Gemini's {@code Schema} object (an OpenAPI 3.0 subset), as its API takes them.
   */
  private static final Set<String> SCHEMA_FIELDS =
      Set.of(
          "type",
          "format",
          "title",
          "description",
          "nullable",
          "enum",
          "maxItems",
          "minItems",
          "properties",
          "required",
          "minProperties",
          "maxProperties",
          "minLength",
          "maxLength",
          "pattern",
          "example",
          "anyOf",
          "propertyOrdering",
          "default",
          "items",
          "minimum",
          "maximum");

  @Override
  public boolean authenticated(RoutingContext ctx) {
    return ctx.request().getHeader("x-goog-api-key") != null
        || ctx.request().getParam("key") != null;
  }

  @Override
  public MockCall parse(String provider, RoutingContext ctx, JsonObject body) {
    String tail = ctx.pathParam("*");
    if (tail == null || !tail.endsWith(":generateContent")) {
      throw new IllegalArgumentException("only models/{model}:generateContent is served");
    }
    JsonArray contents = body.getJsonArray("contents");
    if (contents == null || contents.isEmpty()) {
      throw new IllegalArgumentException("contents is required");
    }
    checkSchemas(body);
    String modelName = tail.substring(0, tail.length() - ":generateContent".length());
    if (thinks(modelName)) {
      checkSignatures(contents);
    }
    List<String> texts = new ArrayList<>();
    JsonObject system = body.getJsonObject("systemInstruction");
    if (system != null) {
      texts.add(partsText(system.getJsonArray("parts")));
    }
    String lastUser = "";
    for (int i = 0; i < contents.size(); i++) {
      JsonObject c = contents.getJsonObject(i);
      checkParts(c.getJsonArray("parts", new JsonArray()), i);
      String text = partsText(c.getJsonArray("parts"));
      texts.add(text);
      if ("user".equals(c.getString("role", "user"))) {
        lastUser = text;
      }
    }
    Integer max =
        body.getJsonObject("generationConfig", new JsonObject()).getInteger("maxOutputTokens");
    return new MockCall(
        provider,
        modelName,
        texts,
        lastUser,
        max,
        forcedTool(body),
        body.getJsonObject("generationConfig", new JsonObject()).getInteger("candidateCount", 1),
        false,
        null);
  }

  /** Gemini 2.5 and later think, and sign their function calls. */
  private static boolean thinks(String model) {
    return !model.startsWith("gemini-2.0") && !model.startsWith("gemini-1");
  }

  /** What the mock signs its function calls with. */
  static final String SIGNATURE = "bW9jay10aG91Z2h0";

  /**
   * Refuses a function call of the current turn (after the last user text) without its thought
   * signature, as Gemini's thinking models do: the signature must come back where it was given.
   */
  private static void checkSignatures(JsonArray contents) {
    int turn = 0;
    for (int i = 0; i < contents.size(); i++) {
      JsonObject c = contents.getJsonObject(i);
      boolean userText =
          "user".equals(c.getString("role", "user"))
              && c.getJsonArray("parts", new JsonArray()).stream()
                  .anyMatch(p -> ((JsonObject) p).containsKey("text"));
      if (userText) {
        turn = i;
      }
    }
    for (int i = turn; i < contents.size(); i++) {
      JsonObject c = contents.getJsonObject(i);
      JsonArray parts = c.getJsonArray("parts", new JsonArray());
      for (int p = 0; p < parts.size(); p++) {
        JsonObject part = parts.getJsonObject(p);
        if (part.containsKey("functionCall")
            && !SIGNATURE.equals(part.getString("thoughtSignature"))) {
          throw new IllegalArgumentException(
              "Function call is missing a thought_signature in functionCall parts at contents["
                  + i
                  + "].parts["
                  + p
                  + "]");
        }
      }
    }
  }

  /** The one function a {@code toolConfig} in mode ANY allows, which the model must call. */
  private static String forcedTool(JsonObject body) {
    JsonObject config =
        body.getJsonObject("toolConfig", new JsonObject())
            .getJsonObject("functionCallingConfig", new JsonObject());
    JsonArray allowed = config.getJsonArray("allowedFunctionNames", new JsonArray());
    return "ANY".equals(config.getString("mode")) && allowed.size() == 1
        ? allowed.getString(0)
        : null;
  }

  /** Refuses a part Gemini would: one of its documented kinds, inline data with its MIME type. */
  private static void checkParts(JsonArray parts, int content) {
    for (int p = 0; p < parts.size(); p++) {
      JsonObject part = parts.getJsonObject(p);
      String at = "contents[" + content + "].parts[" + p + "]";
      if (part.containsKey("inlineData")) {
        JsonObject inline = part.getJsonObject("inlineData");
        if (inline.getString("mimeType") == null || inline.getString("data") == null) {
          throw new IllegalArgumentException(at + ".inline_data: mime_type and data are required");
        }
      } else if (!part.containsKey("text")
          && !part.containsKey("functionCall")
          && !part.containsKey("functionResponse")
          && !part.containsKey("fileData")) {
        throw new IllegalArgumentException(
            at + ": Invalid JSON payload received. " + part.encode());
      }
    }
  }

  /** Refuses a schema field Gemini does not know, as its API does (400 INVALID_ARGUMENT). */
  private static void checkSchemas(JsonObject body) {
    JsonObject config = body.getJsonObject("generationConfig", new JsonObject());
    if (config.containsKey("responseSchema")) {
      checkSchema(config.getJsonObject("responseSchema"), "generation_config.response_schema");
    }
    for (Object tool : body.getJsonArray("tools", new JsonArray())) {
      for (Object f : ((JsonObject) tool).getJsonArray("functionDeclarations", new JsonArray())) {
        JsonObject function = (JsonObject) f;
        if (function.containsKey("parameters")) {
          checkSchema(function.getJsonObject("parameters"), "tools[0].function_declarations");
        }
      }
    }
  }

  private static void checkSchema(JsonObject schema, String at) {
    for (String field : schema.fieldNames()) {
      if (!SCHEMA_FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "Invalid JSON payload received. Unknown name \"" + field + "\" at '" + at + "'");
      }
    }
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (String name : properties.fieldNames()) {
      checkSchema(properties.getJsonObject(name), at + ".properties[" + name + "]");
    }
    if (schema.getValue("items") instanceof JsonObject items) {
      checkSchema(items, at + ".items");
    }
    for (Object option : schema.getJsonArray("anyOf", new JsonArray())) {
      checkSchema((JsonObject) option, at + ".any_of");
    }
  }

  @Override
  public JsonObject success(String id, MockCall call, MockUsage usage, Instant now) {
    JsonObject metadata =
        new JsonObject()
            .put("promptTokenCount", usage.promptTokens())
            .put("candidatesTokenCount", usage.answerTokens())
            .put("totalTokenCount", usage.promptTokens() + usage.outputTokens());
    if (usage.cachedTokens() > 0) {
      metadata.put("cachedContentTokenCount", usage.cachedTokens());
    }
    if (usage.reasoningTokens() > 0) {
      metadata.put("thoughtsTokenCount", usage.reasoningTokens());
    }
    JsonObject part;
    if (call.forcedTool() == null) {
      part = new JsonObject().put("text", usage.answer());
    } else {
      part =
          new JsonObject()
              .put(
                  "functionCall",
                  new JsonObject()
                      .put("name", call.forcedTool())
                      .put("args", new JsonObject().put("answer", usage.answer())));
      if (thinks(call.model())) {
        part.put("thoughtSignature", SIGNATURE);
      }
    }
    JsonObject content =
        new JsonObject().put("role", "model").put("parts", new JsonArray().add(part));
    JsonArray candidates = new JsonArray();
    for (int index = 0; index < call.n(); index++) {
      candidates.add(
          new JsonObject()
              .put("content", content)
              .put("finishReason", usage.truncated() ? "MAX_TOKENS" : "STOP")
              .put("index", index));
    }
    return new JsonObject()
        .put("candidates", candidates)
        .put("usageMetadata", metadata)
        .put("modelVersion", call.model())
        .put("responseId", id);
  }

  /**
   * Cached tokens are part of {@code promptTokenCount}; thoughts are apart from {@code
   * candidatesTokenCount} and billed as output.
   */
  @Override
  public BilledTokens billed(JsonObject success) {
    JsonObject usage = success.getJsonObject("usageMetadata");
    long cached = usage.getLong("cachedContentTokenCount", 0L);
    long thoughts = usage.getLong("thoughtsTokenCount", 0L);
    return new BilledTokens(
        usage.getLong("promptTokenCount") - cached,
        cached,
        0,
        0,
        usage.getLong("candidatesTokenCount") + thoughts,
        thoughts);
  }

  @Override
  public JsonObject error(int status, String type, String message) {
    String grpc =
        switch (status) {
          case 429 -> "RESOURCE_EXHAUSTED";
          case 404 -> "NOT_FOUND";
          case 400 -> "INVALID_ARGUMENT";
          case 401, 403 -> "PERMISSION_DENIED";
          case 503 -> "UNAVAILABLE";
          default -> "INTERNAL";
        };
    return new JsonObject()
        .put(
            "error",
            new JsonObject().put("code", status).put("message", message).put("status", grpc));
  }

  private static String partsText(JsonArray parts) {
    StringBuilder text = new StringBuilder();
    if (parts != null) {
      for (int i = 0; i < parts.size(); i++) {
        text.append(parts.getJsonObject(i).getString("text", ""));
      }
    }
    return text.toString();
  }
}
