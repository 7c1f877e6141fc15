package dev.tollgate.ingest.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.auth.GatewayKeys;
import dev.tollgate.core.config.Settings;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.platform.http.HttpService;
import dev.tollgate.schemas.BudgetPeriod;
import dev.tollgate.schemas.GatewayConfigEntry;
import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin API over real HTTP, with a producer that hands each record straight to the view (as the
 * topic would): what it accepts, what it refuses and with which field, and what a key's secret
 * looks like.
 */
class AdminRoutesTest {

  private static final String ADMIN = "admin-token";

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> createdTopics = new CopyOnWriteArrayList<>();
  private final GatewayConfigView view =
      new GatewayConfigView(
          GatewayKeys.from(Settings.empty()).withAdminToken(ADMIN),
          ModelCatalog.load(Settings.empty()));
  private Vertx vertx;
  private HttpServer server;

  /** A producer that applies what it is sent to the view, as following the topic would. */
  private final class Applying extends MockProducer<String, SpecificRecord> {
    Applying() {
      super(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<String, SpecificRecord> r) {
      Future<RecordMetadata> sent = super.send(r);
      CompletableFuture.runAsync(() -> view.apply(r.key(), (GatewayConfigEntry) r.value()));
      return sent;
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route("/v1/*").handler(BodyHandler.create());
    AdminRoutes.mount(router, vertx, view, new Applying(), Topics.standard(), createdTopics::add);
    router.route().failureHandler(HttpService::failure);
    server = HttpService.listen(vertx, router, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  private HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/admin" + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return call(method, path, body, ADMIN);
  }

  @Test
  void teamsAreCreatedReadAndListedWithExactDollars() throws Exception {
    HttpResponse<String> put =
        admin(
            "PUT",
            "/teams/acme",
            "{\"name\":\"Acme\",\"allowed_models\":[\"gpt-4o-mini\"],"
                + "\"limits\":{\"requests_per_minute\":100},"
                + "\"budgets\":[{\"period\":\"month\",\"hard_cap_usd\":\"12.345678\","
                + "\"soft_thresholds_pct\":[50,80]}],\"time_zone\":\"Europe/Paris\"}");

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    TeamConfig team = view.team("acme").orElseThrow();
    assertThat(team.getBudgets().get(0).getHardCapMicros()).isEqualTo(12_345_678L);
    assertThat(team.getBudgets().get(0).getPeriod()).isEqualTo(BudgetPeriod.MONTH);
    JsonObject read = new JsonObject(admin("GET", "/teams/acme", null).body());
    assertThat(read.getJsonArray("budgets").getJsonObject(0).getString("hard_cap_usd"))
        .isEqualTo("12.345678");
    assertThat(new JsonObject(admin("GET", "/teams", null).body()).getJsonArray("data")).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"budgets\":[{\"period\":\"week\"}]}|budgets[0].period",
        "{\"budgets\":[{\"period\":\"day\",\"hard_cap_usd\":\"0.0000001\"}]}|budgets[0].hard_cap_usd",
        "{\"budgets\":[{\"period\":\"day\",\"hard_cap_usd\":\"-1\"}]}|budgets[0].hard_cap_usd",
        "{\"limits\":{\"requests_per_minute\":0}}|limits.requests_per_minute",
        "{\"limits\":{\"rpm\":5}}|limits.rpm",
        "{\"time_zone\":\"Mars/Olympus\"}|time_zone",
        "{\"allowed_models\":\"gpt-4o\"}|allowed_models",
        "{\"colour\":\"red\"}|colour",
        "[1,2]|body",
        "not json|body",
      })
  void malformedTeamsAreRefusedNamingTheFieldAndNothingIsWritten(String body, String field)
      throws Exception {
    HttpResponse<String> response = admin("PUT", "/teams/acme", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("param"))
        .isEqualTo(field);
    assertThat(view.team("acme")).isEmpty();
  }

  @Test
  void aTeamGetsItsReplyTopicsAndNoPrefixThatReachesAnothersOrTollgates() throws Exception {
    assertThat(admin("PUT", "/teams/acme", "{}").statusCode()).isEqualTo(200);
    assertThat(createdTopics).containsExactly("llm-replies-acme-default");
    assertThat(
            admin("PUT", "/teams/jobs", "{\"reply_topic_prefix\":\"jobs.replies.\"}").statusCode())
        .isEqualTo(200);
    assertThat(view.team("jobs").orElseThrow().getReplyTopicPrefix()).isEqualTo("jobs.replies.");
    assertThat(createdTopics).endsWith("jobs.replies.default");

    for (String prefix : new String[] {"llm-", "llm-replies-acme-x", "jobs.", "bad prefix!"}) {
      HttpResponse<String> refused =
          admin("PUT", "/teams/other", "{\"reply_topic_prefix\":\"" + prefix + "\"}");
      assertThat(refused.statusCode()).as(prefix).isEqualTo(400);
      assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("param"))
          .isEqualTo("reply_topic_prefix");
    }
    // acme's default prefix holds acme-x's: a prefixed ACL for acme would reach its replies.
    HttpResponse<String> nested = admin("PUT", "/teams/acme-x", "{}");
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).contains("overlaps team 'acme'");
    assertThat(view.team("other")).isEmpty();
  }

  @Test
  void onlyTheAdminTokenMayUseIt() throws Exception {
    assertThat(call("GET", "/teams", null, "not-the-token").statusCode()).isEqualTo(401);
    HttpResponse<String> badId = admin("PUT", "/teams/Not_Lowercase", "{}");
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badId.body()).getJsonObject("error").getString("param"))
        .isEqualTo("id");
    assertThat(admin("GET", "/teams/nobody", null).statusCode()).isEqualTo(404);
  }

  @Test
  void keysShowTheirSecretOnceAndRevokeAndRotate() throws Exception {
    admin("PUT", "/teams/acme", "{}");
    JsonObject created =
        new JsonObject(admin("POST", "/teams/acme/keys", "{\"name\":\"ci\"}").body());
    String secret = created.getString("secret");
    String id = created.getString("id");
    assertThat(secret).startsWith("tg-");
    assertThat(view.authenticate(secret, Instant.now())).isPresent();
    assertThat(admin("GET", "/keys/" + id, null).body()).doesNotContain(secret);

    JsonObject rotated =
        new JsonObject(admin("POST", "/keys/" + id + "/rotate", "{\"grace_s\":60}").body());
    String fresh = rotated.getString("secret");
    assertThat(view.authenticate(fresh, Instant.now())).isPresent();
    assertThat(view.authenticate(secret, Instant.now())).isPresent();
    assertThat(view.authenticate(secret, Instant.now().plusSeconds(61))).isEmpty();

    admin("POST", "/keys/" + rotated.getString("id") + "/revoke", "");
    assertThat(view.authenticate(fresh, Instant.now().plusMillis(1))).isEmpty();

    assertThat(admin("DELETE", "/teams/acme", null).statusCode()).isEqualTo(409);
  }

  @Test
  void routesAreSetCheckedAndDeletedBackToTheFile() throws Exception {
    HttpResponse<String> unknown = admin("PUT", "/routes/fast", "{\"deployments\":[\"nope\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown deployment 'nope'");
    assertThat(
            admin(
                    "PUT",
                    "/routes/fast",
                    "{\"strategy\":\"random\",\"deployments\":[\"gemini-2.0-flash\"]}")
                .body())
        .contains("strategy");

    assertThat(
            admin(
                    "PUT",
                    "/routes/fast",
                    "{\"strategy\":\"cheapest\",\"deployments\":[\"gemini-2.0-flash\"]}")
                .statusCode())
        .isEqualTo(200);
    assertThat(view.catalog().route("fast").orElseThrow().deployments())
        .containsExactly("gemini-2.0-flash");

    assertThat(admin("DELETE", "/routes/fast", null).statusCode()).isEqualTo(200);
    assertThat(view.catalog().route("fast").orElseThrow().deployments()).hasSize(3);
    assertThat(admin("DELETE", "/routes/fast", null).statusCode()).isEqualTo(404);
  }
}
