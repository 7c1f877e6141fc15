package dev.tollgate.platform.governance;

import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.RouteConfig;
import dev.tollgate.schemas.TeamConfig;

/** The record keys of {@code gateway-config}: one per entity, so compaction keeps the latest. */
public final class ConfigEntity {

  public static final String TEAM = "team:";
  public static final String KEY = "key:";
  public static final String ROUTE = "route:";

  private ConfigEntity() {}

  public static String team(String teamId) {
    return TEAM + teamId;
  }

  public static String key(String keyId) {
    return KEY + keyId;
  }

  public static String route(String model) {
    return ROUTE + model;
  }

  /** The record key {@code entry} must be written under. */
  public static String of(GatewayConfigEntry entry) {
    Object entity = entry.getEntity();
    if (entity instanceof TeamConfig t) {
      return team(t.getTeamId());
    }
    if (entity instanceof KeyConfig k) {
      return key(k.getKeyId());
    }
    return route(((RouteConfig) entity).getModel());
  }
}
