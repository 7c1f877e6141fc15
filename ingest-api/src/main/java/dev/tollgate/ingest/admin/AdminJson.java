package dev.tollgate.ingest.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.RouteConfig;
import dev.tollgate.schemas.TeamConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's JSON and the config entities it stands for. Strict: an unknown field, a wrong
 * type or a bad value is a {@link ConfigException} whose message starts with the field's path.
 * Money is in dollars with up to six decimals ({@code "5.25"} or {@code 5.25}), kept as integer
 * micro-USD.
 */
final class AdminJson {

  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final Set<String> TEAM_FIELDS =
      Set.of(
          "id",
          "name",
          "allowed_models",
          "limits",
          "budgets",
          "reply_topic_prefix",
          "time_zone",
          "metadata");
  private static final Set<String> KEY_FIELDS =
      Set.of("name", "allowed_models", "limits", "budgets", "metadata");
  private static final Set<String> ROUTE_FIELDS =
      Set.of(
          "model",
          "strategy",
          "deployments",
          "weights",
          "cost_weight",
          "default_max_tokens",
          "cache_ttl_s");

  private AdminJson() {}

  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      throw new ConfigException("body: expected a JSON object");
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new ConfigException("body: expected a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ConfigException("body: not valid JSON");
    }
  }

  static TeamConfig team(String teamId, JsonNode body) {
    only(body, TEAM_FIELDS, "");
    if (body.has("id") && !teamId.equals(body.path("id").asText())) {
      throw new ConfigException("id: must match the path ('" + teamId + "')");
    }
    return TeamConfig.newBuilder()
        .setTeamId(teamId)
        .setName(text(body, "name", ""))
        .setAllowedModels(strings(body, "allowed_models"))
        .setLimits(limits(body.path("limits")))
        .setBudgets(budgets(body.path("budgets")))
        .setReplyTopicPrefix(text(body, "reply_topic_prefix", null))
        .setTimeZone(text(body, "time_zone", "UTC"))
        .setMetadata(map(body, "metadata"))
        .build();
  }

  /** A key's settings from {@code body}, onto {@code base} (which holds its id, team, hash). */
  static KeyConfig key(KeyConfig.Builder base, JsonNode body) {
    only(body, KEY_FIELDS, "");
    return base.setName(text(body, "name", ""))
        .setAllowedModels(strings(body, "allowed_models"))
        .setLimits(limits(body.path("limits")))
        .setBudgets(budgets(body.path("budgets")))
        .setMetadata(map(body, "metadata"))
        .build();
  }

  static RouteConfig route(String model, JsonNode body) {
    only(body, ROUTE_FIELDS, "");
    if (body.has("model") && !model.equals(body.path("model").asText())) {
      throw new ConfigException("model: must match the path ('" + model + "')");
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    JsonNode w = body.path("weights");
    if (!w.isMissingNode() && !w.isNull()) {
      if (!w.isObject()) {
        throw new ConfigException("weights: expected an object of deployment -> weight");
      }
      w.fields()
          .forEachRemaining(
              e -> weights.put(e.getKey(), intValue(e.getValue(), "weights." + e.getKey())));
    }
    JsonNode costWeight = body.path("cost_weight");
    if (!costWeight.isMissingNode() && !costWeight.isNumber()) {
      throw new ConfigException("cost_weight: expected a number between 0 and 1");
    }
    return RouteConfig.newBuilder()
        .setModel(model)
        .setStrategy(body.has("strategy") ? text(body, "strategy", null) : null)
        .setDeployments(strings(body, "deployments"))
        .setWeights(weights)
        .setCostWeight(costWeight.isMissingNode() ? null : costWeight.doubleValue())
        .setDefaultMaxTokens(optionalInt(body, "default_max_tokens"))
        .setCacheTtlS(optionalInt(body, "cache_ttl_s"))
        .build();
  }

  static ObjectNode json(TeamConfig team) {
    ObjectNode out = JSON.createObjectNode();
    out.put("id", team.getTeamId());
    out.put("name", team.getName());
    out.set("allowed_models", array(team.getAllowedModels()));
    out.set("limits", json(team.getLimits()));
    out.set("budgets", json(team.getBudgets()));
    out.put("reply_topic_prefix", team.getReplyTopicPrefix());
    out.put("time_zone", team.getTimeZone());
    out.set("metadata", JSON.valueToTree(team.getMetadata()));
    return out;
  }

  /** A key as listed: never its secret, nor its hash. */
  static ObjectNode json(KeyConfig key) {
    ObjectNode out = JSON.createObjectNode();
    out.put("id", key.getKeyId());
    out.put("team", key.getTeamId());
    out.put("name", key.getName());
    out.set("allowed_models", array(key.getAllowedModels()));
    out.set("limits", json(key.getLimits()));
    out.set("budgets", json(key.getBudgets()));
    out.set("metadata", JSON.valueToTree(key.getMetadata()));
    out.put("created_at", key.getCreatedAt().toString());
    if (key.getExpiresAt() != null) {
      out.put("expires_at", key.getExpiresAt().toString());
    } else {
      out.putNull("expires_at");
    }
    return out;
  }

  static ObjectNode json(RouteConfig route) {
    ObjectNode out = JSON.createObjectNode();
    out.put("model", route.getModel());
    out.put("strategy", route.getStrategy() == null ? "ordered" : route.getStrategy());
    out.set("deployments", array(route.getDeployments()));
    out.set("weights", JSON.valueToTree(route.getWeights()));
    return out;
  }

  private static ObjectNode json(Limits limits) {
    ObjectNode out = JSON.createObjectNode();
    out.put("requests_per_minute", limits.getRequestsPerMinute());
    out.put("tokens_per_minute", limits.getTokensPerMinute());
    return out;
  }

  private static ArrayNode json(List<Budget> budgets) {
    ArrayNode out = JSON.createArrayNode();
    for (Budget b : budgets) {
      ObjectNode o = out.addObject();
      o.put("period", b.getPeriod().name().toLowerCase(Locale.ROOT));
      if (b.getHardCapMicros() == null) {
        o.putNull("hard_cap_usd");
      } else {
        o.put("hard_cap_usd", BigDecimal.valueOf(b.getHardCapMicros(), 6).toPlainString());
      }
      o.set("soft_thresholds_pct", JSON.valueToTree(b.getSoftThresholdsPct()));
    }
    return out;
  }

  private static Limits limits(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return new Limits(null, null);
    }
    only(node, Set.of("requests_per_minute", "tokens_per_minute"), "limits.");
    return new Limits(
        optionalLong(node, "requests_per_minute", "limits."),
        optionalLong(node, "tokens_per_minute", "limits."));
  }

  private static List<Budget> budgets(JsonNode node) {
    List<Budget> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new ConfigException("budgets: expected a list");
    }
    for (int i = 0; i < node.size(); i++) {
      String where = "budgets[" + i + "].";
      JsonNode b = node.get(i);
      only(b, Set.of("period", "hard_cap_usd", "soft_thresholds_pct"), where);
      BudgetPeriod period;
      try {
        period = BudgetPeriod.valueOf(b.path("period").asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        period = BudgetPeriod.UNKNOWN;
      }
      if (period == BudgetPeriod.UNKNOWN) {
        throw new ConfigException(where + "period: must be one of day, month, total");
      }
      List<Integer> soft = new ArrayList<>();
      JsonNode pcts = b.path("soft_thresholds_pct");
      if (!pcts.isMissingNode()) {
        if (!pcts.isArray()) {
          throw new ConfigException(where + "soft_thresholds_pct: expected a list of percentages");
        }
        for (JsonNode p : pcts) {
          soft.add(intValue(p, where + "soft_thresholds_pct"));
        }
      }
      out.add(new Budget(period, micros(b.path("hard_cap_usd"), where + "hard_cap_usd"), soft));
    }
    return out;
  }

  /** Dollars to micro-USD, exactly; more than six decimals is refused, not rounded. */
  static Long micros(JsonNode usd, String field) {
    if (usd.isMissingNode() || usd.isNull()) {
      return null;
    }
    BigDecimal dollars;
    try {
      dollars = usd.isNumber() ? usd.decimalValue() : new BigDecimal(usd.asText().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(field + ": expected an amount in USD, like \"5.00\"");
    }
    try {
      return dollars.movePointRight(6).longValueExact();
    } catch (ArithmeticException e) {
      throw new ConfigException(field + ": at most six decimals (micro-USD), and below 9e12");
    }
  }

  private static void only(JsonNode node, Set<String> allowed, String prefix) {
    if (!node.isObject()) {
      throw new ConfigException(
          (prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1))
              + ": expected an object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new ConfigException(prefix + name + ": unknown field; expected one of " + allowed);
      }
    }
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual()) {
      throw new ConfigException(field + ": expected a string");
    }
    return node.asText();
  }

  private static List<String> strings(JsonNode body, String field) {
    List<String> out = new ArrayList<>();
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new ConfigException(field + ": expected a list of strings");
    }
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw new ConfigException(field + "[" + i + "]: expected a string");
      }
      out.add(node.get(i).asText());
    }
    return out;
  }

  private static Map<String, String> map(JsonNode body, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new ConfigException(field + ": expected an object of strings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new ConfigException(field + "." + e.getKey() + ": expected a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static Long optionalLong(JsonNode body, String field, String prefix) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new ConfigException(prefix + field + ": expected a whole number");
    }
    return node.longValue();
  }

  private static Integer optionalInt(JsonNode body, String field) {
    JsonNode node = body.path(field);
    return node.isMissingNode() || node.isNull() ? null : intValue(node, field);
  }

  private static int intValue(JsonNode node, String field) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new ConfigException(field + ": expected a whole number");
    }
    return node.intValue();
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode out = JSON.createArrayNode();
    values.forEach(out::add);
    return out;
  }
}
