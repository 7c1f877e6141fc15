package dev.tollgate.launcher;

import dev.tollgate.core.config.Settings;
import dev.tollgate.core.kafka.Acls;
import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.catalog.ProviderSpec;
import dev.tollgate.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate acls}: the {@code kafka-acls} commands that give each service's principal, and
 * each team's, what it needs on a secured cluster (the ACLs of {@link Acls}).
 */
@Command(
    name = "acls",
    description =
        "Print the kafka-acls commands for each service's principal and each team's jobs.")
final class AclsCommand implements Callable<Integer> {

  @Option(names = "--config", description = "YAML config file (for the topic prefix and catalog).")
  Path config;

  @Option(
      names = "--principal",
      description =
          "SERVICE=PRINCIPAL, e.g. router=User:tollgate-router (repeatable; default User:<service>).")
  List<String> principals = new ArrayList<>();

  @Option(
      names = "--team",
      description = "TEAM=PRINCIPAL, e.g. acme=User:acme-jobs: a team's jobs (repeatable).")
  List<String> teams = new ArrayList<>();

  @Override
  public Integer call() {
    Settings settings = Settings.load(Optional.ofNullable(config));
    Topics topics = Topics.withPrefix(settings.string("kafka.topic-prefix", ""));
    Acls acls =
        new Acls(
            topics,
            ModelCatalog.load(settings).providers().stream().map(ProviderSpec::name).toList());
    for (Acls.Service service : Acls.Service.values()) {
      String principal = "User:" + service.settingsName();
      for (String given : principals) {
        if (given.startsWith(service.settingsName() + "=")) {
          principal = given.substring(given.indexOf('=') + 1);
        }
      }
      System.out.println("# " + service.settingsName() + " (" + principal + ")");
      Acls.commands(acls.service(service, principal)).forEach(System.out::println);
    }
    for (String team : teams) {
      int eq = team.indexOf('=');
      if (eq < 1) {
        System.err.println("tollgate acls: --team wants TEAM=PRINCIPAL, not '" + team + "'");
        return 2;
      }
      String id = team.substring(0, eq);
      System.out.println("# team " + id + " (" + team.substring(eq + 1) + ")");
      Acls.commands(acls.team(team.substring(eq + 1), topics.teamReplyPrefix(id)))
          .forEach(System.out::println);
    }
    return 0;
  }
}
