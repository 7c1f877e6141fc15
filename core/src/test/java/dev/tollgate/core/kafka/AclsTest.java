package dev.tollgate.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.schemas.Topics;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclsTest {

  private final Acls acls = new Acls(Topics.withPrefix("prod."), List.of("openai"));

  @Test
  void aTeamMayWriteRequestsAndUseItsOwnReplyTopicsOnly() {
    List<AclBinding> team = acls.team("User:acme-jobs", "prod.llm-replies-acme-");

    assertThat(team)
        .allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:acme-jobs"))
        .filteredOn(b -> b.entry().operation() == AclOperation.READ)
        .allSatisfy(
            b -> {
              assertThat(b.pattern().name()).isEqualTo("prod.llm-replies-acme-");
              assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
            });
    assertThat(team)
        .filteredOn(b -> b.entry().operation() == AclOperation.WRITE)
        .extracting(b -> b.pattern().name())
        .containsExactlyInAnyOrder("prod.llm-requests", "prod.llm-requests-bulk");
  }

  @Test
  void onlyTheRouterReadsRequestsAndOnlyRouterAndWorkersWriteReplies() {
    for (Acls.Service service : Acls.Service.values()) {
      List<AclBinding> granted = acls.service(service, "User:" + service.settingsName());
      boolean readsRequests =
          granted.stream()
              .anyMatch(
                  b ->
                      b.pattern().name().equals("prod.llm-requests")
                          && b.entry().operation() == AclOperation.READ);
      boolean writesReplies =
          granted.stream()
              .anyMatch(
                  b ->
                      b.pattern().name().equals("prod.llm-replies-")
                          && b.entry().operation() == AclOperation.WRITE);
      assertThat(readsRequests).as(service.name()).isEqualTo(service == Acls.Service.ROUTER);
      assertThat(writesReplies)
          .as(service.name())
          .isEqualTo(service == Acls.Service.ROUTER || service == Acls.Service.WORKERS);
      assertThat(granted)
          .noneMatch(b -> b.pattern().resourceType() == ResourceType.CLUSTER)
          .noneMatch(b -> b.pattern().name().isEmpty());
    }
  }

  @Test
  void commandsGroupTheOperationsOfOneResource() {
    assertThat(Acls.commands(acls.team("User:acme-jobs", "prod.llm-replies-acme-")))
        .contains(
            "kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties --add"
                + " --allow-principal User:acme-jobs --topic prod.llm-replies-acme-"
                + " --resource-pattern-type prefixed --operation Read --operation Describe"
                + " --operation Create");
  }
}
