package dev.tollgate.platform.governance;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.catalog.Strategy;
import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.RouteConfig;
import dev.tollgate.schemas.TeamConfig;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a valid {@code gateway-config} entry is. The admin API checks what it is sent with these
 * rules before writing, and every reader checks what it reads, so a record written by anything else
 * cannot put a bad entity in force. Every failure is a {@link ConfigException} naming the field.
 */
public final class ConfigRules {

  /** Team and key ids: they travel as Kafka record keys and in URLs. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ConfigRules() {}

  /** Checks {@code entry}, stored under {@code entityKey}, against {@code catalog}. */
  public static void check(String entityKey, GatewayConfigEntry entry, ModelCatalog catalog) {
    if (entry.getEntity() instanceof TeamConfig team) {
      check(team);
    } else if (entry.getEntity() instanceof KeyConfig key) {
      check(key);
    } else {
      catalog.checkRoute(toRoute((RouteConfig) entry.getEntity()));
    }
    String expected = ConfigEntity.of(entry);
    if (!expected.equals(entityKey)) {
      throw new ConfigException(
          "record key: expected '" + expected + "' for this entity, got '" + entityKey + "'");
    }
  }

  public static void check(TeamConfig team) {
    id(team.getTeamId(), "team_id");
    models(team.getAllowedModels());
    limits(team.getLimits());
    budgets(team.getBudgets());
    try {
      ZoneId.of(team.getTimeZone());
    } catch (DateTimeException e) {
      throw new ConfigException(
          "time_zone: unknown time zone '" + team.getTimeZone() + "' (use e.g. UTC, Europe/Paris)");
    }
  }

  public static void check(KeyConfig key) {
    id(key.getKeyId(), "key_id");
    id(key.getTeamId(), "team_id");
    if (!SHA256.matcher(key.getSecretSha256()).matches()) {
      throw new ConfigException("secret_sha256: expected 64 lowercase hex characters");
    }
    models(key.getAllowedModels());
    limits(key.getLimits());
    budgets(key.getBudgets());
  }

  /** The catalog route a route entity stands for; fails naming the field. */
  public static Route toRoute(RouteConfig route) {
    if (route.getModel() == null || route.getModel().isBlank()) {
      throw new ConfigException("model: required");
    }
    return new Route(
        route.getModel(),
        route.getStrategy() == null ? null : Strategy.parse(route.getStrategy()),
        route.getDeployments(),
        route.getWeights(),
        route.getCostWeight(),
        route.getDefaultMaxTokens(),
        route.getCacheTtlS());
  }

  private static void id(String id, String field) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new ConfigException(
          field + ": must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    }
  }

  private static void models(List<String> models) {
    for (int i = 0; i < models.size(); i++) {
      if (models.get(i) == null || models.get(i).isBlank()) {
        throw new ConfigException("allowed_models[" + i + "]: must not be blank");
      }
    }
  }

  private static void limits(Limits limits) {
    positive(limits.getRequestsPerMinute(), "limits.requests_per_minute");
    positive(limits.getTokensPerMinute(), "limits.tokens_per_minute");
  }

  private static void positive(Long value, String field) {
    if (value != null && (value < 1 || value > 100_000_000_000L)) {
      throw new ConfigException(field + ": must be 1 to 10^11");
    }
  }

  private static void budgets(List<Budget> budgets) {
    Set<BudgetPeriod> seen = EnumSet.noneOf(BudgetPeriod.class);
    for (int i = 0; i < budgets.size(); i++) {
      Budget b = budgets.get(i);
      String where = "budgets[" + i + "]";
      if (b.getPeriod() == BudgetPeriod.UNKNOWN) {
        throw new ConfigException(where + ".period: must be one of day, month, total");
      }
      if (!seen.add(b.getPeriod())) {
        throw new ConfigException(where + ".period: a second budget for " + b.getPeriod());
      }
      if (b.getHardCapMicros() != null && b.getHardCapMicros() < 0) {
        throw new ConfigException(where + ".hard_cap_usd: must not be negative");
      }
      for (int pct : b.getSoftThresholdsPct()) {
        if (pct < 1 || pct > 100) {
          throw new ConfigException(where + ".soft_thresholds_pct: each must be 1-100");
        }
      }
    }
  }
}
