package dev.tollgate.router.health;

import java.util.Optional;

/** The router's current picture of deployment health; empty when it has seen no call yet. */
@FunctionalInterface
public interface HealthView {

  Optional<DeploymentHealth> of(String deploymentId);

  /** No observations at all (every deployment is new). */
  HealthView NONE = id -> Optional.empty();
}
