package dev.tollgate.platform.catalog;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tollgate.schemas.ChatMessage;
import dev.tollgate.schemas.ContentPart;
import dev.tollgate.schemas.PartType;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * A prompt's token count, estimated before any provider sees it. For OpenAI-family models it is
 * counted with their own tokenizer (jtokkit: o200k for the GPT-4o, 4.1, 5 and o-series families,
 * cl100k for older ones) plus OpenAI's per-message overhead (3 tokens a message, 3 to prime the
 * reply). Other providers do not publish their tokenizers: one token per started 3 characters and 4
 * a message, which errs high (Claude and Gemini count about one token per 3.5 to 4 characters of
 * English): budget reservations rest on this estimate, so it must not fall short.
 */
public final class TokenEstimate {

  private static final Pattern O200K_MODELS = Pattern.compile("(gpt-4o|gpt-4\\.1|gpt-5|o\\d).*");

  /** Loaded once, on first use: building an encoding reads its whole vocabulary. */
  private static final class Tokenizers {
    static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
  }

  private TokenEstimate() {}

  /**
   * The prompt's tokens for a model of {@code api} named {@code model}: its messages and the tool
   * definitions ({@code toolsJson}, may be null), which every provider bills as input.
   */
  public static long promptTokens(
      List<ChatMessage> messages, String toolsJson, String api, String model) {
    ToIntFunction<String> count = counter(api, model);
    int perMessage = isOpenAi(api) ? 3 : 4;
    long tokens = 3 + count.applyAsInt(toolsJson);
    for (ChatMessage m : messages) {
      tokens += perMessage + count.applyAsInt(m.getContent()) + count.applyAsInt(m.getName());
      for (var call : m.getToolCalls()) {
        tokens += count.applyAsInt(call.getFunctionName()) + count.applyAsInt(call.getArguments());
      }
      for (ContentPart part : m.getParts()) {
        tokens +=
            part.getType() == PartType.TEXT ? count.applyAsInt(part.getText()) : media(api, part);
      }
    }
    return tokens;
  }

  /** An embeddings request's input tokens: its texts, with no per-message overhead. */
  public static long inputTokens(List<String> inputs, String api, String model) {
    ToIntFunction<String> count = counter(api, model);
    long tokens = 0;
    for (String input : inputs) {
      tokens += count.applyAsInt(input);
    }
    return tokens;
  }

  /**
   * An image, audio or file's tokens, at the most it can count without its dimensions or length
   * known, so a budget reservation does not fall short: an image at OpenAI's tiling (85 and 170 per
   * 512-pixel tile; low detail 85) for the largest image it keeps (768 by 2048: 8 tiles),
   * Anthropic's cap (about 1,600 for the 1.15 megapixels it keeps), Gemini's largest (258 per
   * 768-pixel tile, 5 tiles); audio and files one token per 100 bytes (an upper bound for 16 kHz
   * audio and for PDF pages).
   */
  private static long media(String api, ContentPart part) {
    if (part.getType() != PartType.IMAGE) {
      return part.getData() == null ? 1_000 : part.getData().remaining() / 100 + 1;
    }
    if (isOpenAi(api)) {
      return "low".equals(part.getDetail()) ? 85 : 85 + 170 * 8;
    }
    return "anthropic".equals(api) ? 1_600 : 258 * 5;
  }

  private static boolean isOpenAi(String api) {
    return "openai".equals(api) || "azure-openai".equals(api);
  }

  private static ToIntFunction<String> counter(String api, String model) {
    if (!isOpenAi(api)) {
      return text -> text == null ? 0 : (text.length() + 2) / 3;
    }
    Encoding encoding =
        O200K_MODELS.matcher(model).matches() ? Tokenizers.O200K : Tokenizers.CL100K;
    return text -> text == null ? 0 : encoding.countTokens(text);
  }
}
