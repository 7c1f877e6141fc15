package dev.tollgate.router.governance;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.schemas.Budget;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.Limits;
import dev.tollgate.schemas.TeamConfig;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The limits and caps that apply to one key, read from the configuration in force. */
public final class Governance {

  private static final Limits NONE = new Limits(null, null);

  private final GatewayConfigView config;

  public Governance(GatewayConfigView config) {
    this.config = config;
  }

  /** The rate-limit scopes of {@code key}: the key's own, then its team's. */
  public List<RateLimits.Scope> rateScopes(ApiKey key) {
    return List.of(
        new RateLimits.Scope(
            "key:" + key.id(), config.key(key.id()).map(KeyConfig::getLimits).orElse(NONE)),
        new RateLimits.Scope(
            "team:" + key.teamId(),
            config.team(key.teamId()).map(TeamConfig::getLimits).orElse(NONE)));
  }

  /** The hard caps on what {@code key} may spend: the key's own and its team's. */
  public List<BudgetLedger.Cap> caps(ApiKey key) {
    List<BudgetLedger.Cap> caps = new ArrayList<>();
    config.key(key.id()).ifPresent(k -> addCaps(caps, "key:" + key.id(), k.getBudgets()));
    config.team(key.teamId()).ifPresent(t -> addCaps(caps, "team:" + key.teamId(), t.getBudgets()));
    return caps;
  }

  /** Who pays for {@code keyId}'s requests, with the team's time zone (UTC if it sets none). */
  public BudgetLedger.Payer payer(String teamId, String keyId) {
    Optional<TeamConfig> team = config.team(teamId);
    return new BudgetLedger.Payer(
        teamId, keyId, ZoneId.of(team.map(TeamConfig::getTimeZone).orElse("UTC")));
  }

  private static void addCaps(List<BudgetLedger.Cap> caps, String scope, List<Budget> budgets) {
    for (Budget b : budgets) {
      if (b.getHardCapMicros() != null) {
        caps.add(new BudgetLedger.Cap(scope, b.getPeriod(), b.getHardCapMicros()));
      }
    }
  }
}
