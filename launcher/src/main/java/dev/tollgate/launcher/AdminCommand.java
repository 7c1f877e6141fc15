package dev.tollgate.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate admin}: the admin API from the command line. Every subcommand is one HTTP call;
 * the answer is printed as the API gives it, and an error exits with status 1.
 */
@Command(
    name = "admin",
    description = "Manage teams, keys and routes through the admin API.",
    subcommands = {AdminCommand.Teams.class, AdminCommand.Keys.class, AdminCommand.Routes.class})
final class AdminCommand {

  /** Where the API is and the token to use. */
  static final class Target {
    @Option(
        names = "--url",
        defaultValue = "${env:TOLLGATE_URL:-http://127.0.0.1:8080}",
        description = "The ingest API's base URL (default ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--token",
        defaultValue = "${env:TOLLGATE_ADMIN_TOKEN}",
        description =
            "The admin token (TOLLGATE_ADMIN_TOKEN; in local mode, default: the one in"
                + " --data-dir).")
    String token;

    @Option(
        names = "--data-dir",
        defaultValue = "data",
        description = "Local mode's data directory, where its admin token is kept.")
    Path dataDir;

    int call(String method, String path, String body) {
      try {
        String secret = token != null ? token : Files.readString(dataDir.resolve("admin-token"));
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(url + "/v1/admin" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + secret.trim())
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response =
            HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        (response.statusCode() < 400 ? System.out : System.err).println(response.body());
        return response.statusCode() < 400 ? 0 : 1;
      } catch (IOException e) {
        System.err.println("tollgate admin: " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }

  /** A JSON body given inline or in a file. */
  static final class Body {
    @Option(names = "--json", description = "The JSON body.")
    String json;

    @Option(names = "--file", description = "A file holding the JSON body.")
    Path file;

    String read() throws IOException {
      return file != null ? Files.readString(file) : json;
    }
  }

  @Command(name = "teams", description = "Teams: list, get, put (create or replace), delete.")
  static final class Teams implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;
    @picocli.CommandLine.Mixin Body body;

    @Parameters(index = "0", description = "list | get | put | delete")
    String verb;

    @Parameters(index = "1", arity = "0..1", description = "The team id.")
    String team;

    @Override
    public Integer call() throws IOException {
      return switch (verb) {
        case "list" -> target.call("GET", "/teams", null);
        case "get" -> target.call("GET", "/teams/" + team, null);
        case "put" -> target.call("PUT", "/teams/" + team, orEmpty(body.read()));
        case "delete" -> target.call("DELETE", "/teams/" + team, null);
        default -> unknown(verb);
      };
    }
  }

  @Command(
      name = "keys",
      description =
          "Keys: create TEAM, list TEAM, get KEY, put KEY, revoke KEY, rotate KEY [--grace-s N].")
  static final class Keys implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;
    @picocli.CommandLine.Mixin Body body;

    @Parameters(index = "0", description = "create | list | get | put | revoke | rotate")
    String verb;

    @Parameters(index = "1", description = "The team id (create, list) or key id.")
    String id;

    @Option(names = "--grace-s", description = "How long a rotated key keeps working (3600).")
    Long graceSeconds;

    @Override
    public Integer call() throws IOException {
      return switch (verb) {
        case "create" -> target.call("POST", "/teams/" + id + "/keys", orEmpty(body.read()));
        case "list" -> target.call("GET", "/teams/" + id + "/keys", null);
        case "get" -> target.call("GET", "/keys/" + id, null);
        case "put" -> target.call("PUT", "/keys/" + id, orEmpty(body.read()));
        case "revoke" -> target.call("POST", "/keys/" + id + "/revoke", "");
        case "rotate" ->
            target.call(
                "POST",
                "/keys/" + id + "/rotate",
                graceSeconds == null ? "" : "{\"grace_s\":" + graceSeconds + "}");
        default -> unknown(verb);
      };
    }
  }

  @Command(
      name = "routes",
      description = "Routes set at run time: list, put MODEL, delete MODEL (back to the file's).")
  static final class Routes implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;
    @picocli.CommandLine.Mixin Body body;

    @Parameters(index = "0", description = "list | put | delete")
    String verb;

    @Parameters(index = "1", arity = "0..1", description = "The model name or alias.")
    String model;

    @Override
    public Integer call() throws IOException {
      return switch (verb) {
        case "list" -> target.call("GET", "/routes", null);
        case "put" -> target.call("PUT", "/routes/" + model, orEmpty(body.read()));
        case "delete" -> target.call("DELETE", "/routes/" + model, null);
        default -> unknown(verb);
      };
    }
  }

  private static String orEmpty(String body) {
    return body == null ? "{}" : body;
  }

  private static int unknown(String verb) {
    System.err.println("tollgate admin: unknown action '" + verb + "'");
    return 2;
  }
}
