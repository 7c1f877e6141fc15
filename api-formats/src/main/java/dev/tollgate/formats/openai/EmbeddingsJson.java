package dev.tollgate.formats.openai;

import dev.tollgate.schemas.Embeddings;
import dev.tollgate.schemas.LlmReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * A reply to an embeddings request in OpenAI's shape: a list of {@code embedding} objects in the
 * inputs' order, each vector a JSON array of floats or, with {@code encoding_format: base64}, its
 * little-endian float32 bytes in base64 (as OpenAI encodes them); usage as prompt tokens.
 */
public final class EmbeddingsJson {

  private EmbeddingsJson() {}

  public static JsonObject list(LlmReply reply) {
    Embeddings e = reply.getEmbeddings();
    JsonArray data = new JsonArray();
    List<List<Float>> vectors = e.getVectors();
    for (int i = 0; i < vectors.size(); i++) {
      data.add(
          new JsonObject()
              .put("object", "embedding")
              .put("index", i)
              .put(
                  "embedding",
                  "base64".equals(e.getEncodingFormat())
                      ? base64(vectors.get(i))
                      : new JsonArray(List.copyOf(vectors.get(i)))));
    }
    long tokens = reply.getUsage().getInputTokens() + reply.getUsage().getCachedInputTokens();
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", e.getModel())
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens));
  }

  private static String base64(List<Float> vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    vector.forEach(bytes::putFloat);
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
