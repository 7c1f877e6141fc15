package dev.tollgate.workers.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Content parts in each provider's documented shape: OpenAI's {@code image_url} and {@code file}
 * parts, Anthropic's {@code image} and {@code document} blocks with {@code url} and {@code base64}
 * sources, Gemini's {@code inlineData}.
 */
class PartsJsonTest {

  private static final ContentPart TEXT =
      ContentPart.newBuilder().setType(PartType.TEXT).setText("What is this?").build();
  private static final ContentPart BY_URL =
      ContentPart.newBuilder()
          .setType(PartType.IMAGE)
          .setUrl("https://example.com/cat.png")
          .setDetail("high")
          .build();
  private static final ContentPart INLINE =
      ContentPart.newBuilder()
          .setType(PartType.IMAGE)
          .setMediaType("image/png")
          .setData(ByteBuffer.wrap("png".getBytes(StandardCharsets.US_ASCII)))
          .build();
  private static final ContentPart PDF =
      ContentPart.newBuilder()
          .setType(PartType.FILE)
          .setMediaType("application/pdf")
          .setFilename("a.pdf")
          .setData(ByteBuffer.wrap("%PDF".getBytes(StandardCharsets.US_ASCII)))
          .build();

  @Test
  void openAi() {
    assertThat(PartsJson.openAi(List.of(TEXT, BY_URL, INLINE, PDF)).toString())
        .isEqualTo(
            "[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\",\"detail\":\"high\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,cG5n\"}},"
                + "{\"type\":\"file\",\"file\":{\"file_data\":\"data:application/pdf;base64,JVBERg==\",\"filename\":\"a.pdf\"}}]");
  }

  @Test
  void anthropic() {
    assertThat(PartsJson.anthropic(List.of(TEXT, BY_URL, INLINE, PDF)).toString())
        .isEqualTo(
            "[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.png\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"cG5n\"}},"
                + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERg==\"}}]");
  }

  @Test
  void gemini() {
    assertThat(PartsJson.gemini(List.of(TEXT, INLINE, PDF)).toString())
        .isEqualTo(
            "[{\"text\":\"What is this?\"},"
                + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"cG5n\"}},"
                + "{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"JVBERg==\"}}]");
  }
}
