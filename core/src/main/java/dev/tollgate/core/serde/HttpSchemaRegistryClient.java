package dev.tollgate.core.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.kafka.RegistryAuth;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;

/**
 * A client for the Confluent schema registry REST API (also served by Apicurio's ccompat API,
 * Karapace, Redpanda and Tollgate's embedded registry). Registrations and schemas are cached for
 * the life of the client, so the registry is called once per schema, not once per record.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> failingSince = new AtomicReference<>();

  private final Optional<String> authorization;

  /** A client of an open registry (local mode, tests). */
  public HttpSchemaRegistryClient(String baseUrl) {
    this(baseUrl, RegistryAuth.none());
  }

  /** A client of the registry at {@code baseUrl}, authenticating as {@code auth} says. */
  public HttpSchemaRegistryClient(String baseUrl, RegistryAuth auth) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    auth.truststoreLocation()
        .ifPresent(
            store ->
                builder.sslContext(
                    RegistryTls.trusting(
                        store, auth.truststorePassword().orElse(""), auth.truststoreType())));
    this.http = builder.build();
    this.authorization =
        auth.basicUserInfo()
            .map(
                info ->
                    "Basic "
                        + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)))
            .or(() -> auth.bearerToken().map(token -> "Bearer " + token));
  }

  @Override
  public int register(String subject, Schema schema) {
    return idsBySubject
        .computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(schema, s -> registerRemote(subject, s));
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(id, this::fetch);
  }

  private int registerRemote(String subject, Schema schema) {
    String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
    JsonNode reply = call("POST", "subjects/" + encode(subject) + "/versions", body);
    int id = reply.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(500, "registry answered without an id: " + reply);
    }
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  private Schema fetch(int id) {
    JsonNode reply = call("GET", "schemas/ids/" + id, null);
    return new Schema.Parser().parse(reply.path("schema").asText());
  }

  private JsonNode call(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", CONTENT_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    try {
      JsonNode answer = send(method, path, request.build());
      failingSince.set(null);
      return answer;
    } catch (SchemaRegistryException e) {
      if (e.isOutage()) {
        failingSince.compareAndSet(null, Instant.now());
      } else {
        failingSince.set(null);
      }
      throw e;
    }
  }

  @Override
  public Optional<Instant> unavailableSince() {
    return Optional.ofNullable(failingSince.get());
  }

  private JsonNode send(String method, String path, HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new SchemaRegistryException(
            response.statusCode(),
            "schema registry "
                + method
                + " "
                + path
                + " -> "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry at " + base + " unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted calling the schema registry", e);
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
