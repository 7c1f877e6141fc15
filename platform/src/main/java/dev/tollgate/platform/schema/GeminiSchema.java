package dev.tollgate.platform.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema (as OpenAI tools and {@code json_schema} response formats carry it) rewritten into
 * the subset of OpenAPI 3.0 that Gemini's {@code Schema} object takes: {@code type}, {@code
 * format}, {@code title}, {@code description}, {@code nullable}, {@code enum}, {@code items},
 * {@code minItems}/{@code maxItems}, {@code properties}, {@code required}, {@code
 * minProperties}/{@code maxProperties}, {@code minLength}/{@code maxLength}, {@code pattern},
 * {@code minimum}/{@code maximum}, {@code anyOf}, {@code propertyOrdering}, {@code default}, {@code
 * example}.
 *
 * <p>What has a faithful equivalent is rewritten: a type list with {@code "null"} becomes {@code
 * nullable}, {@code const} a one-value {@code enum}, {@code oneOf} {@code anyOf}, a local {@code
 * $ref} its definition inlined. What only annotates is removed ({@code $schema}, {@code $id},
 * {@code $comment}, {@code examples}, {@code additionalProperties: false}, string formats other
 * than {@code enum} and {@code date-time}). What would change the meaning ({@code not}, {@code
 * if}/{@code then}, {@code patternProperties}, {@code additionalProperties} as a schema, a
 * recursive {@code $ref}, non-string {@code enum} values, ...) is refused: {@link Unsupported}
 * names it.
 */
public final class GeminiSchema {

  /** A schema Gemini cannot take as it means: {@code keyword} at {@code path}. */
  public static final class Unsupported extends Exception {
    public Unsupported(String path, String why) {
      super(path + ": " + why, null, false, false);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Kept as they are (their values are schemas or plain values, rewritten where needed). */
  private static final Set<String> KEPT =
      Set.of(
          "title",
          "description",
          "nullable",
          "minItems",
          "maxItems",
          "minProperties",
          "maxProperties",
          "minLength",
          "maxLength",
          "pattern",
          "minimum",
          "maximum",
          "propertyOrdering",
          "default",
          "example",
          "required");

  /** Annotations with no effect on what the model may produce. */
  private static final Set<String> DROPPED =
      Set.of("$schema", "$id", "$comment", "examples", "strict", "readOnly", "writeOnly");

  private static final Set<String> STRING_FORMATS = Set.of("enum", "date-time");

  private final JsonNode root;

  private GeminiSchema(JsonNode root) {
    this.root = root;
  }

  /** {@code schema} in Gemini's subset. */
  public static JsonNode of(JsonNode schema) throws Unsupported {
    return new GeminiSchema(schema).rewrite(schema, "$", new HashSet<>());
  }

  /** {@code schema} as JSON text, in Gemini's subset. */
  public static JsonNode of(String schema) throws Unsupported {
    try {
      return of(JSON.readTree(schema));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Unsupported("$", "not JSON: " + e.getOriginalMessage());
    }
  }

  private JsonNode rewrite(JsonNode schema, String path, Set<String> refs) throws Unsupported {
    if (!schema.isObject()) {
      throw new Unsupported(path, "a schema must be an object");
    }
    if (schema.has("$ref")) {
      return inline(schema, path, refs);
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : fields(schema)) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String at = path + "." + key;
      switch (key) {
        case "type" -> type(value, out, at);
        case "format" -> format(schema, value, out);
        case "enum" -> out.set("enum", strings(value, at));
        case "const" -> out.set("enum", strings(NODES.arrayNode().add(value), at));
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          for (Map.Entry<String, JsonNode> p : fields(value)) {
            properties.set(p.getKey(), rewrite(p.getValue(), at + "." + p.getKey(), refs));
          }
        }
        case "items" -> out.set("items", rewrite(value, at, refs));
        case "anyOf", "oneOf" -> out.set("anyOf", all(value, at, refs));
        case "additionalProperties" -> {
          if (!value.isBoolean() || value.asBoolean()) {
            throw new Unsupported(at, "Gemini's schema has no additionalProperties");
          }
        }
        case "$defs", "definitions" -> {
          // Read through $ref where used.
        }
        default -> {
          if (KEPT.contains(key)) {
            out.set(key, value);
          } else if (!DROPPED.contains(key)) {
            throw new Unsupported(at, "'" + key + "' has no equivalent in Gemini's schema");
          }
        }
      }
    }
    return out;
  }

  private JsonNode inline(JsonNode schema, String path, Set<String> refs) throws Unsupported {
    String ref = schema.get("$ref").asText();
    if (!ref.startsWith("#/")) {
      throw new Unsupported(path + ".$ref", "only local references (#/...) can be inlined");
    }
    if (!refs.add(ref)) {
      throw new Unsupported(path + ".$ref", "a recursive schema cannot be inlined for Gemini");
    }
    JsonNode target = root.at(ref.substring(1));
    if (target.isMissingNode()) {
      throw new Unsupported(path + ".$ref", "'" + ref + "' is not defined");
    }
    JsonNode inlined = rewrite(target, path, refs);
    refs.remove(ref);
    return inlined;
  }

  private static void type(JsonNode value, ObjectNode out, String at) throws Unsupported {
    if (value.isTextual()) {
      out.put("type", value.asText());
      return;
    }
    List<String> types = new ArrayList<>();
    for (JsonNode t : value) {
      if (!"null".equals(t.asText())) {
        types.add(t.asText());
      }
    }
    if (types.size() != 1) {
      throw new Unsupported(at, "Gemini takes one type (and null), not " + value);
    }
    out.put("type", types.get(0));
    if (types.size() < value.size()) {
      out.put("nullable", true);
    }
  }

  private static void format(JsonNode schema, JsonNode value, ObjectNode out) {
    // A string format is a hint in JSON Schema; Gemini refuses all but two, so others go.
    JsonNode type = schema.path("type");
    boolean string =
        "string".equals(type.asText())
            || (type.isArray() && type.toString().contains("\"string\""));
    if (!string || STRING_FORMATS.contains(value.asText())) {
      out.set("format", value);
    }
  }

  private static ArrayNode strings(JsonNode values, String at) throws Unsupported {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode v : values) {
      if (!v.isTextual()) {
        throw new Unsupported(at, "Gemini's enum takes strings only, not " + v);
      }
      out.add(v);
    }
    return out;
  }

  private ArrayNode all(JsonNode schemas, String at, Set<String> refs) throws Unsupported {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < schemas.size(); i++) {
      out.add(rewrite(schemas.get(i), at + "[" + i + "]", refs));
    }
    return out;
  }

  private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    return node::fields;
  }
}
