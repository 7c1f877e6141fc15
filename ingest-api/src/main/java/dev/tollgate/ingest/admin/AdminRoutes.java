package dev.tollgate.ingest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.auth.KeyHash;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.platform.catalog.Route;
import dev.tollgate.platform.governance.ConfigEntity;
import dev.tollgate.platform.governance.ConfigRules;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.platform.http.Refused;
import dev.tollgate.platform.replies.ReplyPolicy;
import dev.tollgate.schemas.KeyConfig;
import dev.tollgate.schemas.RouteConfig;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.Topics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * The admin API under {@code /v1/admin}, for the admin token only: teams, their keys (the secret is
 * shown once, at creation or rotation; only its SHA-256 is stored), and routes set at run time.
 * Every change is written to {@code gateway-config} and in force on every service within a second.
 * Malformed input gets 400 naming the field; nothing is written.
 */
public final class AdminRoutes {

  static final Duration DEFAULT_ROTATION_GRACE = Duration.ofHours(1);

  private final GatewayConfigView view;
  private final ConfigWriter writer;
  private final ReplyPolicy replies;
  private final Consumer<String> createTopic;
  private final Vertx vertx;
  private final Clock clock;

  AdminRoutes(
      GatewayConfigView view,
      ConfigWriter writer,
      ReplyPolicy replies,
      Consumer<String> createTopic,
      Vertx vertx,
      Clock clock) {
    this.view = view;
    this.writer = writer;
    this.replies = replies;
    this.createTopic = createTopic;
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * Mounts the admin API on {@code router}; the router must already parse bodies.
   *
   * @param createTopic creates a topic if it is missing (a new team's default reply topic)
   */
  public static void mount(
      Router router,
      Vertx vertx,
      GatewayConfigView view,
      Producer<String, SpecificRecord> producer,
      Topics topics,
      Consumer<String> createTopic) {
    Clock clock = Clock.systemUTC();
    new AdminRoutes(
            view,
            new ConfigWriter(producer, topics.gatewayConfig(), view, clock),
            new ReplyPolicy(topics),
            createTopic,
            vertx,
            clock)
        .mountOn(router);
  }

  private void mountOn(Router router) {
    router.route("/v1/admin/*").handler(this::adminOnly);
    router.get("/v1/admin/teams").handler(ctx -> run(ctx, 200, this::listTeams));
    router.get("/v1/admin/teams/:team").handler(ctx -> run(ctx, 200, this::getTeam));
    router.put("/v1/admin/teams/:team").handler(ctx -> run(ctx, 200, this::putTeam));
    router.delete("/v1/admin/teams/:team").handler(ctx -> run(ctx, 200, this::deleteTeam));
    router.post("/v1/admin/teams/:team/keys").handler(ctx -> run(ctx, 201, this::createKey));
    router.get("/v1/admin/teams/:team/keys").handler(ctx -> run(ctx, 200, this::listKeys));
    router.get("/v1/admin/keys/:key").handler(ctx -> run(ctx, 200, this::getKey));
    router.put("/v1/admin/keys/:key").handler(ctx -> run(ctx, 200, this::putKey));
    router.post("/v1/admin/keys/:key/revoke").handler(ctx -> run(ctx, 200, this::revoke));
    router.post("/v1/admin/keys/:key/rotate").handler(ctx -> run(ctx, 201, this::rotate));
    router.get("/v1/admin/routes").handler(ctx -> run(ctx, 200, this::listRoutes));
    router.put("/v1/admin/routes/:model").handler(ctx -> run(ctx, 200, this::putRoute));
    router.delete("/v1/admin/routes/:model").handler(ctx -> run(ctx, 200, this::deleteRoute));
  }

  private void adminOnly(RoutingContext ctx) {
    Optional<String> token = GatewayKeys.bearer(ctx.request().getHeader("Authorization"));
    if (token.isEmpty() || !view.isAdmin(token.get())) {
      OpenAiError.unauthorized("The admin API needs the admin token.").send(ctx);
      return;
    }
    ctx.next();
  }

  private interface Handler {
    JsonNode handle(RoutingContext ctx);
  }

  private void run(RoutingContext ctx, int status, Handler handler) {
    vertx
        .executeBlocking(() -> handler.handle(ctx), false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(result.result().toString());
              } else if (result.cause() instanceof Refused r) {
                r.error().send(ctx);
              } else if (result.cause() instanceof ConfigException e) {
                String message = e.getMessage();
                int colon = message.indexOf(':');
                OpenAiError.invalidRequest(message, colon > 0 ? message.substring(0, colon) : null)
                    .send(ctx);
              } else {
                new OpenAiError(503, "service_unavailable", null, result.cause().getMessage(), null)
                    .send(ctx);
              }
            });
  }

  private JsonNode listTeams(RoutingContext ctx) {
    ArrayNode data = AdminJson.JSON.createArrayNode();
    view.teams().stream()
        .sorted(Comparator.comparing(TeamConfig::getTeamId))
        .forEach(t -> data.add(AdminJson.json(t)));
    return list(data);
  }

  private JsonNode getTeam(RoutingContext ctx) {
    return AdminJson.json(team(ctx.pathParam("team")));
  }

  private JsonNode putTeam(RoutingContext ctx) {
    String id = ctx.pathParam("team");
    if (!ConfigRules.ID.matcher(id).matches()) {
      throw new ConfigException(
          "id: must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    }
    TeamConfig team = AdminJson.team(id, AdminJson.parse(ctx.body().asString()));
    String prefix = replyPrefix(team);
    writer.put(team, "admin");
    createTopic.accept(Topics.defaultReplyTopic(prefix).name());
    return AdminJson.json(team);
  }

  /**
   * {@code team}'s reply prefix, refused if it covers Tollgate's topics or overlaps another team's
   * (prefixed ACLs on one would then reach the other's replies).
   */
  private String replyPrefix(TeamConfig team) {
    String prefix = replies.prefixOf(team.getTeamId(), Optional.of(team));
    Optional<String> problem = replies.prefixProblem(prefix);
    if (problem.isPresent()) {
      throw new ConfigException("reply_topic_prefix: " + problem.get());
    }
    for (TeamConfig other : view.teams()) {
      String theirs = replies.prefixOf(other.getTeamId(), Optional.of(other));
      if (!other.getTeamId().equals(team.getTeamId())
          && (theirs.startsWith(prefix) || prefix.startsWith(theirs))) {
        throw new ConfigException(
            "reply_topic_prefix: '"
                + prefix
                + "' overlaps team '"
                + other.getTeamId()
                + "''s reply topics ('"
                + theirs
                + "'); set reply_topic_prefix to one of its own");
      }
    }
    return prefix;
  }

  private JsonNode deleteTeam(RoutingContext ctx) {
    TeamConfig team = team(ctx.pathParam("team"));
    long live = liveKeys(team.getTeamId()).size();
    if (live > 0) {
      throw new Refused(
          new OpenAiError(
              409,
              "invalid_request_error",
              "team_has_keys",
              "Team '"
                  + team.getTeamId()
                  + "' still has "
                  + live
                  + " live key(s); revoke them first.",
              null));
    }
    writer.delete(ConfigEntity.team(team.getTeamId()));
    return AdminJson.JSON.createObjectNode().put("id", team.getTeamId()).put("deleted", true);
  }

  private JsonNode createKey(RoutingContext ctx) {
    TeamConfig team = team(ctx.pathParam("team"));
    JsonNode body =
        ctx.body().asString() == null || ctx.body().asString().isBlank()
            ? AdminJson.JSON.createObjectNode()
            : AdminJson.parse(ctx.body().asString());
    String secret = KeyHash.newSecret();
    KeyConfig key =
        AdminJson.key(
            KeyConfig.newBuilder()
                .setKeyId(newKeyId())
                .setTeamId(team.getTeamId())
                .setSecretSha256(KeyHash.sha256(secret))
                .setCreatedAt(clock.instant()),
            body);
    writer.put(key, "admin");
    return AdminJson.json(key).put("secret", secret);
  }

  private JsonNode listKeys(RoutingContext ctx) {
    TeamConfig team = team(ctx.pathParam("team"));
    ArrayNode data = AdminJson.JSON.createArrayNode();
    view.keys().stream()
        .filter(k -> k.getTeamId().equals(team.getTeamId()))
        .sorted(Comparator.comparing(KeyConfig::getCreatedAt))
        .forEach(k -> data.add(AdminJson.json(k)));
    return list(data);
  }

  private JsonNode getKey(RoutingContext ctx) {
    return AdminJson.json(key(ctx.pathParam("key")));
  }

  private JsonNode putKey(RoutingContext ctx) {
    KeyConfig current = key(ctx.pathParam("key"));
    KeyConfig updated =
        AdminJson.key(KeyConfig.newBuilder(current), AdminJson.parse(ctx.body().asString()));
    writer.put(updated, "admin");
    return AdminJson.json(updated);
  }

  private JsonNode revoke(RoutingContext ctx) {
    KeyConfig key = key(ctx.pathParam("key"));
    KeyConfig revoked = KeyConfig.newBuilder(key).setExpiresAt(clock.instant()).build();
    writer.put(revoked, "admin");
    return AdminJson.json(revoked);
  }

  /** A new key with the old one's settings; the old one keeps working for the grace period. */
  private JsonNode rotate(RoutingContext ctx) {
    KeyConfig old = key(ctx.pathParam("key"));
    Duration grace = DEFAULT_ROTATION_GRACE;
    String body = ctx.body().asString();
    if (body != null && !body.isBlank()) {
      JsonNode g = AdminJson.parse(body).path("grace_s");
      if (!g.isMissingNode()) {
        if (!g.isIntegralNumber() || g.longValue() < 0 || g.longValue() > 30L * 24 * 3600) {
          throw new ConfigException("grace_s: expected whole seconds, 0 to 30 days");
        }
        grace = Duration.ofSeconds(g.longValue());
      }
    }
    Instant now = clock.instant();
    String secret = KeyHash.newSecret();
    Map<String, String> metadata = new LinkedHashMap<>(old.getMetadata());
    metadata.put("rotated_from", old.getKeyId());
    KeyConfig fresh =
        KeyConfig.newBuilder(old)
            .setKeyId(newKeyId())
            .setSecretSha256(KeyHash.sha256(secret))
            .setCreatedAt(now)
            .setExpiresAt(null)
            .setMetadata(metadata)
            .build();
    writer.put(fresh, "admin");
    Instant oldExpiry = now.plus(grace);
    if (old.getExpiresAt() == null || old.getExpiresAt().isAfter(oldExpiry)) {
      writer.put(KeyConfig.newBuilder(old).setExpiresAt(oldExpiry).build(), "admin");
    }
    return AdminJson.json(fresh)
        .put("secret", secret)
        .put("previous_key_expires_at", oldExpiry.toString());
  }

  private JsonNode listRoutes(RoutingContext ctx) {
    ArrayNode data = AdminJson.JSON.createArrayNode();
    List<String> overridden = view.routeOverrides().stream().map(Route::model).toList();
    for (String model : view.catalog().models()) {
      Route r = view.catalog().route(model).orElseThrow();
      ObjectNode o = data.addObject();
      o.put("model", r.model());
      o.put("strategy", r.strategy().label());
      o.set("deployments", AdminJson.JSON.valueToTree(r.deployments()));
      o.set("weights", AdminJson.JSON.valueToTree(r.weights()));
      o.put("source", overridden.contains(model) ? "gateway-config" : "catalog file");
    }
    return list(data);
  }

  private JsonNode putRoute(RoutingContext ctx) {
    RouteConfig route =
        AdminJson.route(ctx.pathParam("model"), AdminJson.parse(ctx.body().asString()));
    writer.put(route, "admin");
    return AdminJson.json(route);
  }

  private JsonNode deleteRoute(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    if (view.entry(ConfigEntity.route(model)).isEmpty()) {
      throw notFound("route_not_found", "No route '" + model + "' was set at run time.");
    }
    writer.delete(ConfigEntity.route(model));
    return AdminJson.JSON
        .createObjectNode()
        .put("model", model)
        .put("deleted", true)
        .put("now_served_by", view.catalog().route(model).isPresent() ? "catalog file" : "nothing");
  }

  private TeamConfig team(String id) {
    return view.team(id).orElseThrow(() -> notFound("team_not_found", "No team '" + id + "'."));
  }

  private KeyConfig key(String id) {
    return view.key(id).orElseThrow(() -> notFound("key_not_found", "No key '" + id + "'."));
  }

  private List<KeyConfig> liveKeys(String teamId) {
    Instant now = clock.instant();
    return view.keys().stream()
        .filter(k -> k.getTeamId().equals(teamId))
        .filter(k -> k.getExpiresAt() == null || k.getExpiresAt().isAfter(now))
        .toList();
  }

  private static Refused notFound(String code, String message) {
    return new Refused(OpenAiError.notFound(code, message, null));
  }

  private static JsonNode list(ArrayNode data) {
    ObjectNode out = AdminJson.JSON.createObjectNode();
    out.put("object", "list");
    out.set("data", data);
    return out;
  }

  private static String newKeyId() {
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "key-" + HexFormat.of().formatHex(bytes);
  }
}
