package dev.tollgate.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayKeysTest {

  @Test
  void acceptsConfiguredHashesAndNothingElse() {
    String secret = KeyHash.newSecret();
    Settings settings =
        Settings.of(
            "gateway:\n  keys:\n    - {id: k1, team: alpha, secret_sha256: "
                + KeyHash.sha256(secret)
                + "}\n",
            Map.of());
    GatewayKeys keys = GatewayKeys.from(settings);

    assertThat(keys.authenticate(secret)).contains(new ApiKey("k1", "alpha"));
    assertThat(keys.authenticate(secret + "x")).isEmpty();
    assertThat(keys.isAdmin(secret)).isFalse();
    assertThat(keys.withAdminToken("root").isAdmin("root")).isTrue();
  }

  @Test
  void secretsAreLongAndRandom() {
    String a = KeyHash.newSecret();
    assertThat(a).startsWith("tg-").hasSize(43);
    assertThat(a).isNotEqualTo(KeyHash.newSecret());
    assertThat(KeyHash.sha256(a)).hasSize(64).doesNotContain(a);
  }

  @Test
  void parsesBearerHeaders() {
    assertThat(GatewayKeys.bearer("Bearer abc")).contains("abc");
    assertThat(GatewayKeys.bearer("bearer  abc ")).contains("abc");
    assertThat(GatewayKeys.bearer("Basic abc")).isEmpty();
    assertThat(GatewayKeys.bearer("Bearer ")).isEqualTo(Optional.empty());
    assertThat(GatewayKeys.bearer(null)).isEmpty();
  }

  @Test
  void malformedKeyConfigIsRefused() {
    Settings plain =
        Settings.of(
            "gateway:\n  keys:\n    - {id: k1, team: a, secret_sha256: notahash}\n", Map.of());
    assertThatThrownBy(() -> GatewayKeys.from(plain))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gateway.keys[0].secret_sha256");
    Settings noTeam =
        Settings.of(
            "gateway:\n  keys:\n    - {id: k1, secret_sha256: " + KeyHash.sha256("x") + "}\n",
            Map.of());
    assertThatThrownBy(() -> GatewayKeys.from(noTeam)).hasMessageContaining("gateway.keys[0].team");
  }
}
