package dev.tollgate.usage;

import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamSpend;
import dev.tollgate.schemas.TokenUsage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Spend rows grouped as asked, rendered as JSON or CSV. */
final class UsageReport {

  private static final List<String> ORDER = List.of("day", "month", "model", "provider", "key");

  private UsageReport() {}

  /** {@code rows} summed by the dimensions in {@code groupBy}, in first-seen order. */
  static List<SpendRow> group(List<SpendRow> rows, Set<String> groupBy) {
    Map<List<String>, SpendRow> groups = new LinkedHashMap<>();
    for (SpendRow row : rows) {
      List<String> dims = new ArrayList<>();
      for (String d : ORDER) {
        dims.add(groupBy.contains(d) ? value(row, d) : "");
      }
      SpendRow keyed =
          Spend.emptyRow(
              row.getTeamId(),
              groupBy.contains("day") || groupBy.contains("month") ? row.getPeriod() : "",
              groupBy.contains("model") ? row.getModel() : "",
              groupBy.contains("provider") ? row.getProvider() : "",
              groupBy.contains("key") ? row.getKeyId() : "");
      groups.merge(dims, Spend.sum(keyed, row), Spend::sum);
    }
    return new ArrayList<>(groups.values());
  }

  static JsonObject json(List<SpendRow> rows, Set<String> groupBy) {
    JsonArray data = new JsonArray();
    for (SpendRow row : rows) {
      JsonObject o = new JsonObject();
      for (String d : ORDER) {
        if (groupBy.contains(d)) {
          o.put(d, value(row, d));
        }
      }
      measures(o, row.getCostMicros(), row.getCalls(), row.getCacheHits(), row.getUsage());
      inDoubt(o, row.getInDoubtMicros(), row.getInDoubtCalls());
      data.add(o);
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  static String csv(List<SpendRow> rows, Set<String> groupBy) {
    StringBuilder out = new StringBuilder();
    List<String> dims = ORDER.stream().filter(groupBy::contains).toList();
    dims.forEach(d -> out.append(d).append(','));
    out.append(
        "cost_micros,cost_usd,calls,cache_hits,input_tokens,cached_input_tokens,"
            + "cache_write_tokens,output_tokens,reasoning_tokens,in_doubt_micros,in_doubt_calls\n");
    for (SpendRow row : rows) {
      for (String d : dims) {
        out.append(csvField(value(row, d))).append(',');
      }
      TokenUsage u = row.getUsage();
      out.append(row.getCostMicros())
          .append(',')
          .append(usd(row.getCostMicros()))
          .append(',')
          .append(row.getCalls())
          .append(',')
          .append(row.getCacheHits())
          .append(',')
          .append(u.getInputTokens())
          .append(',')
          .append(u.getCachedInputTokens())
          .append(',')
          .append(u.getCacheWriteTokens() + u.getCacheWrite1hTokens())
          .append(',')
          .append(u.getOutputTokens())
          .append(',')
          .append(u.getReasoningTokens())
          .append(',')
          .append(row.getInDoubtMicros())
          .append(',')
          .append(row.getInDoubtCalls())
          .append('\n');
    }
    return out.toString();
  }

  static JsonObject json(TeamSpend spend) {
    JsonObject o = new JsonObject().put("team", spend.getTeamId());
    measures(o, spend.getCostMicros(), spend.getCalls(), spend.getCacheHits(), spend.getUsage());
    inDoubt(o, spend.getInDoubtMicros(), spend.getInDoubtCalls());
    return o.put("late_calls", spend.getLateCalls());
  }

  static JsonObject json(DeploymentStats stats) {
    return new JsonObject()
        .put("deployment", stats.getDeploymentId())
        .put("provider", stats.getProvider())
        .put("hour", stats.getHour())
        .put("calls", stats.getCalls())
        .put("errors", stats.getErrors())
        .put(
            "error_rate",
            stats.getCalls() == 0 ? 0.0 : (double) stats.getErrors() / stats.getCalls())
        .put("latency_p50_ms", stats.getP50Ms())
        .put("latency_p95_ms", stats.getP95Ms());
  }

  private static void measures(
      JsonObject o, long costMicros, long calls, long cacheHits, TokenUsage u) {
    o.put("cost_micros", costMicros)
        .put("cost_usd", usd(costMicros))
        .put("calls", calls)
        .put("cache_hits", cacheHits)
        .put(
            "tokens",
            new JsonObject()
                .put("input", u.getInputTokens())
                .put("cached_input", u.getCachedInputTokens())
                .put("cache_write", u.getCacheWriteTokens() + u.getCacheWrite1hTokens())
                .put("cache_write_1h", u.getCacheWrite1hTokens())
                .put("output", u.getOutputTokens())
                .put("reasoning", u.getReasoningTokens()));
  }

  /**
   * Calls whose outcome is unknown, at their worst case: the provider's bill lies between {@code
   * cost_micros} and {@code cost_micros + in_doubt_micros}.
   */
  private static void inDoubt(JsonObject o, long micros, long calls) {
    o.put("in_doubt_micros", micros).put("in_doubt_usd", usd(micros)).put("in_doubt_calls", calls);
  }

  private static String value(SpendRow row, String dimension) {
    return switch (dimension) {
      case "day", "month" -> row.getPeriod();
      case "model" -> row.getModel();
      case "provider" -> row.getProvider();
      default -> row.getKeyId();
    };
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  private static String csvField(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\""
        : value;
  }
}
