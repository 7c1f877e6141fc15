package dev.tollgate.formats.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.InvalidRequest;
import dev.tollgate.formats.ParsedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddingsRequestParserTest {

  private final EmbeddingsRequestParser parser = new EmbeddingsRequestParser();

  @Test
  void readsOneTextOrManyWithTheirOptions() throws InvalidRequest {
    ParsedRequest one = parser.parse("{\"model\":\"m\",\"input\":\"hello\"}");
    assertThat(one.embedding().getInputs()).containsExactly("hello");
    assertThat(one.embedding().getEncodingFormat()).isEqualTo("float");
    assertThat(one.messages()).isEmpty();

    ParsedRequest many =
        parser.parse(
            "{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"dimensions\":256,"
                + "\"encoding_format\":\"base64\",\"user\":\"u\"}");
    assertThat(many.embedding().getInputs()).containsExactly("a", "b");
    assertThat(many.embedding().getDimensions()).isEqualTo(256);
    assertThat(many.embedding().getEncodingFormat()).isEqualTo("base64");
    assertThat(many.user()).isEqualTo("u");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"input\":\"a\"} | model",
        "{\"model\":\"m\"} | input",
        "{\"model\":\"m\",\"input\":[]} | input",
        "{\"model\":\"m\",\"input\":[\"\"]} | input",
        "{\"model\":\"m\",\"input\":[1,2]} | input",
        "{\"model\":\"m\",\"input\":\"a\",\"dimensions\":0} | dimensions",
        "{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"int8\"} | encoding_format",
        "{\"model\":\"m\",\"input\":\"a\",\"truncate\":true} | truncate",
      })
  void refusesBadInputNamingTheField(String body, String param) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOfSatisfying(
            InvalidRequest.class, e -> assertThat(e.error().param()).isEqualTo(param));
  }
}
