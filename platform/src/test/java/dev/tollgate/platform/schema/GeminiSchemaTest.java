package dev.tollgate.platform.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What Pydantic writes for a model with an optional field, a nested model and a literal. */
  @Test
  void aPydanticSchemaBecomesGeminisSubset() throws Exception {
    String pydantic =
        """
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "title": "Invoice", "type": "object", "additionalProperties": false,
         "properties": {
           "number": {"type": "string", "pattern": "^INV-[0-9]+$"},
           "email": {"type": ["string", "null"], "format": "email"},
           "issued": {"type": "string", "format": "date-time"},
           "currency": {"const": "EUR"},
           "kind": {"oneOf": [{"type": "string", "enum": ["net", "gross"]}, {"type": "integer"}]},
           "lines": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Line"}}
         },
         "required": ["number", "lines"],
         "$defs": {"Line": {"type": "object", "additionalProperties": false,
                            "properties": {"amount": {"type": "number", "minimum": 0}}}}}
        """;

    String expected =
        """
        {"title": "Invoice", "type": "object",
         "properties": {
           "number": {"type": "string", "pattern": "^INV-[0-9]+$"},
           "email": {"type": "string", "nullable": true},
           "issued": {"type": "string", "format": "date-time"},
           "currency": {"enum": ["EUR"]},
           "kind": {"anyOf": [{"type": "string", "enum": ["net", "gross"]}, {"type": "integer"}]},
           "lines": {"type": "array", "minItems": 1,
                     "items": {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0}}}}
         },
         "required": ["number", "lines"]}
        """;
    assertThat(GeminiSchema.of(pydantic)).isEqualTo(JSON.readTree(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not | {\"type\": \"object\", \"properties\": {\"a\": {\"not\": {\"type\": \"string\"}}}} | $.properties.a.not",
        "open map | {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}} | $.additionalProperties",
        "pattern properties | {\"type\": \"object\", \"patternProperties\": {\"^x\": {}}} | $.patternProperties",
        "recursion | {\"$defs\": {\"N\": {\"type\": \"object\", \"properties\": {\"next\": {\"$ref\": \"#/$defs/N\"}}}}, \"$ref\": \"#/$defs/N\"} | $ref",
        "remote ref | {\"$ref\": \"https://example.com/s.json\"} | $.$ref",
        "integer enum | {\"type\": \"integer\", \"enum\": [1, 2]} | $.enum",
        "two types | {\"type\": [\"string\", \"integer\"]} | $.type",
        "if then | {\"if\": {}, \"then\": {}} | $.if",
      })
  void whatWouldChangeTheMeaningIsRefusedNamingWhere(String name, String schema, String where) {
    assertThatThrownBy(() -> GeminiSchema.of(schema))
        .isInstanceOf(GeminiSchema.Unsupported.class)
        .hasMessageContaining(where);
  }
}
