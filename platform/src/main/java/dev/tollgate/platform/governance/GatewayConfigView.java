package dev.tollgate.platform.governance;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.kafka.ChangeSignal;
import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicFollower;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.RouteConfig;
import dev.tollgate.schemas.TeamConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's configuration as one service sees it: the catalog file and {@code gateway.keys} as
 * the base, with the teams, keys and routes of the compacted {@code gateway-config} topic applied
 * on top as they arrive (within milliseconds of being written). A route on the topic overrides the
 * file's route of the same model; deleting it brings the file's back. An entry that breaks {@link
 * ConfigRules} is logged, counted and ignored: the entity keeps its previous value.
 */
public final class GatewayConfigView implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayConfigView.class);

  private final GatewayKeys fileKeys;
  private final ModelCatalog fileCatalog;
  private final Map<String, GatewayConfigEntry> entries = new ConcurrentHashMap<>();
  private final Map<String, TeamConfig> teams = new ConcurrentHashMap<>();
  private final Map<String, KeyConfig> keys = new ConcurrentHashMap<>();
  private final Map<String, KeyConfig> keysByHash = new ConcurrentHashMap<>();
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private volatile ModelCatalog catalog;
  private volatile TopicFollower<GatewayConfigEntry> follower;
  private final ChangeSignal changes = new ChangeSignal();

  public GatewayConfigView(GatewayKeys fileKeys, ModelCatalog fileCatalog) {
    this.fileKeys = fileKeys;
    this.fileCatalog = fileCatalog;
    this.catalog = fileCatalog;
  }

  /**
   * A view that follows {@code gateway-config} (see {@code ServiceContext.ensureTopics}) from its
   * beginning; returns once it has read everything written before it started, so a service never
   * serves on a partial config.
   */
  public static GatewayConfigView follow(
      KafkaSettings kafka,
      AvroSerdes serdes,
      GatewayKeys fileKeys,
      ModelCatalog fileCatalog,
      String clientId) {
    GatewayConfigView view = new GatewayConfigView(fileKeys, fileCatalog);
    view.follower =
        TopicFollower.table(
                kafka.clientProperties(clientId),
                serdes.on(kafka.topics().gatewayConfig()),
                view::apply)
            .start();
    view.follower.awaitCaughtUp(Duration.ofSeconds(60));
    return view;
  }

  /** Applies one record of the topic: an entry, or a tombstone ({@code entry} null). */
  public void apply(String entityKey, GatewayConfigEntry entry) {
    if (entityKey == null) {
      reject("(no key)", "record key: required");
      return;
    }
    try {
      if (entry != null) {
        ConfigRules.check(entityKey, entry, fileCatalog);
      }
      GatewayConfigEntry previous =
          entry == null ? entries.remove(entityKey) : entries.put(entityKey, entry);
      if (previous != null) {
        unindex(previous);
      }
      if (entry != null) {
        index(entry);
      }
      if (entityKey.startsWith(ConfigEntity.ROUTE)) {
        catalog = fileCatalog.withRoutes(routes.values());
      }
    } catch (ConfigException e) {
      reject(entityKey, e.getMessage());
    }
    changes.changed();
  }

  private void reject(String entityKey, String why) {
    rejected.incrementAndGet();
    LOG.warn("ignoring gateway-config entry {}: {}", entityKey, why);
  }

  private void index(GatewayConfigEntry entry) {
    Object entity = entry.getEntity();
    if (entity instanceof TeamConfig t) {
      teams.put(t.getTeamId(), t);
    } else if (entity instanceof KeyConfig k) {
      keys.put(k.getKeyId(), k);
      keysByHash.put(k.getSecretSha256(), k);
    } else {
      Route route = ConfigRules.toRoute((RouteConfig) entity);
      routes.put(route.model(), route);
    }
  }

  private void unindex(GatewayConfigEntry entry) {
    Object entity = entry.getEntity();
    if (entity instanceof TeamConfig t) {
      teams.remove(t.getTeamId());
    } else if (entity instanceof KeyConfig k) {
      keys.remove(k.getKeyId());
      keysByHash.remove(k.getSecretSha256(), k);
    } else {
      routes.remove(((RouteConfig) entity).getModel());
    }
  }

  /** The key whose secret is {@code secret}, unless it is revoked or past its rotation grace. */
  public Optional<ApiKey> authenticate(String secret, Instant now) {
    return authenticateHash(KeyHash.sha256(secret), now);
  }

  /** As {@link #authenticate}, given the SHA-256 of the secret. */
  public Optional<ApiKey> authenticateHash(String sha256, Instant now) {
    KeyConfig key = keysByHash.get(sha256);
    if (key == null) {
      return fileKeys.authenticateHash(sha256);
    }
    if (key.getExpiresAt() != null && !now.isBefore(key.getExpiresAt())) {
      return Optional.empty();
    }
    return Optional.of(new ApiKey(key.getKeyId(), key.getTeamId()));
  }

  /** Whether {@code token} is the admin token. */
  public boolean isAdmin(String token) {
    return fileKeys.isAdmin(token);
  }

  /** Whether {@code key} may use {@code model}: the team's list, narrowed by the key's. */
  public boolean mayUse(ApiKey key, String model) {
    List<String> byTeam = team(key.teamId()).map(TeamConfig::getAllowedModels).orElse(List.of());
    List<String> byKey = key(key.id()).map(KeyConfig::getAllowedModels).orElse(List.of());
    return (byTeam.isEmpty() || byTeam.contains(model))
        && (byKey.isEmpty() || byKey.contains(model));
  }

  /** The catalog file as loaded, before run-time routes. */
  public ModelCatalog fileCatalog() {
    return fileCatalog;
  }

  /** The catalog with the routes set at run time. */
  public ModelCatalog catalog() {
    return catalog;
  }

  public Optional<TeamConfig> team(String teamId) {
    return Optional.ofNullable(teams.get(teamId));
  }

  public Optional<KeyConfig> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  public Collection<TeamConfig> teams() {
    return List.copyOf(teams.values());
  }

  public Collection<KeyConfig> keys() {
    return List.copyOf(keys.values());
  }

  /** The routes set at run time (not the file's). */
  public Collection<Route> routeOverrides() {
    return List.copyOf(routes.values());
  }

  /** The entry in force under {@code entityKey}, if any. */
  public Optional<GatewayConfigEntry> entry(String entityKey) {
    return Optional.ofNullable(entries.get(entityKey));
  }

  /** How many entries were ignored as invalid. */
  /**
   * Waits (up to {@code timeout}) until the view holds {@code entry} under {@code entityKey} (null:
   * nothing): for whoever wrote it to {@code gateway-config}.
   */
  public boolean awaitEntry(String entityKey, GatewayConfigEntry entry, Duration timeout) {
    return changes.awaitUntil(() -> Objects.equals(entry(entityKey).orElse(null), entry), timeout);
  }

  public long rejectedEntries() {
    return rejected.get();
  }

  public boolean isAlive() {
    return follower == null || follower.isAlive();
  }

  @Override
  public void close() {
    if (follower != null) {
      follower.stop();
    }
  }
}
