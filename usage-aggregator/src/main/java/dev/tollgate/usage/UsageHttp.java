package dev.tollgate.usage;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.governance.Periods;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.schemas.DeploymentStats;
import dev.tollgate.schemas.SpendRow;
import dev.tollgate.schemas.TeamSpend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The usage API. {@code GET /v1/usage/teams/{team}}: the team's total, or with {@code from}, {@code
 * to}, {@code group_by} and {@code format} a report from its tables; a gateway key sees only its
 * own team (another answers 404, as if it did not exist). {@code GET /v1/usage/teams} and {@code
 * GET /v1/usage/deployments}: every team's total and the provider deployments' hourly calls, errors
 * and latency, for the admin token only.
 *
 * <p>With several aggregator instances, a team's question is answered by whichever instance holds
 * its partition (this one if it is the active or a standby, else the active, else a standby, asked
 * over HTTP), and the lists gather every instance's active partitions.
 */
final class UsageHttp {

  static final String FORWARDED = "X-Tollgate-Forwarded";

  private final Supplier<UsageQueries> queries;
  private final GatewayConfigView config;
  private final HostInfo self;
  private final Clock clock;
  private final HttpClient peers =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /**
   * @param queries the queries, or null until the tables' Streams client has started
   * @param self this instance as the others know it ({@code application.server})
   */
  UsageHttp(Supplier<UsageQueries> queries, GatewayConfigView config, HostInfo self, Clock clock) {
    this.queries = queries;
    this.clock = clock;
    this.config = config;
    this.self = self;
  }

  void mount(Router router) {
    router.get("/v1/usage/teams/:team").handler(this::team);
    router.get("/v1/usage/teams").handler(ctx -> adminList(ctx, this::teams));
    router.get("/v1/usage/deployments").handler(ctx -> adminList(ctx, this::deployments));
  }

  /** An answer to send: status, content type, body. */
  record Answer(int status, String contentType, String body) {
    static Answer json(JsonObject body) {
      return new Answer(200, "application/json", body.encode());
    }
  }

  private interface Lister {
    Answer list(RoutingContext ctx, UsageQueries q);
  }

  private void team(RoutingContext ctx) {
    String team = ctx.pathParam("team");
    Optional<Boolean> admin = authenticate(ctx, team);
    if (admin.isEmpty()) {
      return;
    }
    ZoneId zone = config.team(team).map(t -> ZoneId.of(t.getTimeZone())).orElse(ZoneOffset.UTC);
    UsageRequest request;
    try {
      request =
          UsageRequest.parse(
              ctx.queryParams().get("from"),
              ctx.queryParams().get("to"),
              ctx.queryParams().get("group_by"),
              ctx.queryParams().get("format"),
              LocalDate.ofInstant(clock.instant(), zone));
    } catch (UsageRequest.Invalid e) {
      OpenAiError.invalidRequest(e.getMessage(), e.param).send(ctx);
      return;
    }
    respond(
        ctx,
        () -> {
          UsageQueries q = ready();
          KeyQueryMetadata where = q.locate(team);
          try {
            return teamAnswer(q, team, where.partition(), request);
          } catch (UsageQueries.NotHere e) {
            List<HostInfo> holders = new ArrayList<>();
            holders.add(where.activeHost());
            holders.addAll(where.standbyHosts());
            return forward(ctx, holders);
          }
        });
  }

  private Answer teamAnswer(UsageQueries q, String team, int partition, UsageRequest request) {
    if (!request.isReport()) {
      TeamSpend total = q.teamTotal(team, partition).orElseGet(() -> Spend.emptyTotal(team));
      return Answer.json(UsageReport.json(total));
    }
    SpendTable table = request.table();
    String from =
        table.monthly() ? request.from().toString().substring(0, 7) : request.from().toString();
    String to = table.monthly() ? request.to().toString().substring(0, 7) : request.to().toString();
    List<SpendRow> rows =
        UsageReport.group(
            q.rows(table, team + "|" + from, team + "|" + to + "|\uffff", partition),
            request.groupBy());
    if (request.format().equals("csv")) {
      return new Answer(200, "text/csv", UsageReport.csv(rows, request.groupBy()));
    }
    return Answer.json(
        UsageReport.json(rows, request.groupBy())
            .put("team", team)
            .put("from", request.from().toString())
            .put("to", request.to().toString())
            .put("group_by", new JsonArray(List.copyOf(request.groupBy()))));
  }

  private Answer teams(RoutingContext ctx, UsageQueries q) {
    List<JsonObject> all = new ArrayList<>();
    q.localTotals().forEach(t -> all.add(UsageReport.json(t)));
    all.addAll(gather(ctx, q));
    all.sort(Comparator.comparing(o -> o.getString("team")));
    return Answer.json(new JsonObject().put("object", "list").put("data", new JsonArray(all)));
  }

  private Answer deployments(RoutingContext ctx, UsageQueries q) {
    Instant now = clock.instant();
    String from =
        Optional.ofNullable(ctx.queryParams().get("from"))
            .orElse(Periods.hourUtc(now.minus(Duration.ofHours(24))));
    String to = Optional.ofNullable(ctx.queryParams().get("to")).orElse(Periods.hourUtc(now));
    List<JsonObject> all = new ArrayList<>();
    for (DeploymentStats stats : q.localDeploymentHours(from, to + "\uffff")) {
      all.add(UsageReport.json(stats));
    }
    all.addAll(gather(ctx, q));
    all.sort(
        Comparator.comparing((JsonObject o) -> o.getString("hour"))
            .thenComparing(o -> o.getString("deployment")));
    return Answer.json(
        new JsonObject()
            .put("object", "list")
            .put("from", from)
            .put("to", to)
            .put("data", new JsonArray(all)));
  }

  private void adminList(RoutingContext ctx, Lister lister) {
    Optional<String> token = GatewayKeys.bearer(ctx.request().getHeader("Authorization"));
    if (token.isEmpty() || !config.isAdmin(token.get())) {
      OpenAiError.unauthorized("This list needs the admin token.").send(ctx);
      return;
    }
    respond(ctx, () -> lister.list(ctx, ready()));
  }

  /** Every other instance's rows of the same list (asked to answer from its own partitions). */
  private List<JsonObject> gather(RoutingContext ctx, UsageQueries q) {
    List<JsonObject> rows = new ArrayList<>();
    if (ctx.request().getHeader(FORWARDED) != null) {
      return rows;
    }
    for (HostInfo peer : q.instances()) {
      if (peer.equals(self)) {
        continue;
      }
      Answer answer = ask(ctx, peer);
      if (answer == null || answer.status() != 200) {
        throw new UsageQueries.Unavailable("instance " + peer + " did not answer");
      }
      new JsonObject(answer.body()).getJsonArray("data").forEach(o -> rows.add((JsonObject) o));
    }
    return rows;
  }

  private Answer forward(RoutingContext ctx, List<HostInfo> holders) {
    if (ctx.request().getHeader(FORWARDED) != null) {
      throw new UsageQueries.Unavailable("the team's partition moved; try again");
    }
    for (HostInfo holder : holders) {
      if (holder == null || holder.equals(self) || holder.equals(HostInfo.unavailable())) {
        continue;
      }
      Answer answer = ask(ctx, holder);
      if (answer != null && answer.status() != 503) {
        return answer;
      }
    }
    throw new UsageQueries.Unavailable("no instance holding the team's partition answered");
  }

  /** The same request, asked of {@code peer}; null when it cannot be reached. */
  private Answer ask(RoutingContext ctx, HostInfo peer) {
    String uri = "http://" + peer.host() + ":" + peer.port() + ctx.request().uri();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(10))
            .header(FORWARDED, "1");
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          peers.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse("application/json"),
          response.body());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Whether the caller is the admin (true) or a key of {@code team} (false); empty: refused. */
  private Optional<Boolean> authenticate(RoutingContext ctx, String team) {
    Optional<String> secret = GatewayKeys.bearer(ctx.request().getHeader("Authorization"));
    if (secret.isEmpty()) {
      OpenAiError.unauthorized("Missing bearer key.").send(ctx);
      return Optional.empty();
    }
    if (config.isAdmin(secret.get())) {
      return Optional.of(true);
    }
    Optional<ApiKey> key = config.authenticate(secret.get(), clock.instant());
    if (key.isEmpty()) {
      OpenAiError.unauthorized("Incorrect API key provided.").send(ctx);
      return Optional.empty();
    }
    if (!key.get().teamId().equals(team)) {
      OpenAiError.notFound("team_not_found", "No usage for team '" + team + "'.", "team").send(ctx);
      return Optional.empty();
    }
    return Optional.of(false);
  }

  private UsageQueries ready() {
    UsageQueries q = queries.get();
    if (q == null) {
      throw new UsageQueries.Unavailable("usage tables are starting");
    }
    return q;
  }

  /** Runs {@code work} off the event loop (queries read RocksDB and may call other instances). */
  private static void respond(RoutingContext ctx, Callable<Answer> work) {
    ctx.vertx()
        .executeBlocking(work, false)
        .onSuccess(
            answer ->
                ctx.response()
                    .setStatusCode(answer.status())
                    .putHeader("Content-Type", answer.contentType())
                    .end(answer.body()))
        .onFailure(
            e -> {
              if (e instanceof UsageQueries.Unavailable) {
                ctx.response().putHeader("Retry-After", "1");
                new OpenAiError(503, "service_unavailable", "usage_not_ready", e.getMessage(), null)
                    .send(ctx);
              } else {
                ctx.fail(e);
              }
            });
  }
}
