package dev.tollgate.router;

import dev.tollgate.platform.catalog.Deployment;
import dev.tollgate.router.health.DeploymentHealth;
import java.util.Optional;

/**
 * A deployment the route could use, with the request's estimated worst-case cost and tokens (prompt
 * plus output cap) there, and what is known of its health.
 */
record Candidate(
    Deployment deployment,
    int order,
    long costMicros,
    long tokens,
    Optional<DeploymentHealth> health) {

  /** Too few recent calls to judge: it gets tried (exploration). */
  boolean unmeasured(int minSamples) {
    return health.isEmpty() || health.get().samples() < minSamples;
  }

  long p50Ms() {
    return health.map(DeploymentHealth::p50Ms).orElse(0L);
  }

  String describe() {
    return deployment.id()
        + " (est. "
        + costMicros
        + " micro-USD"
        + health
            .map(h -> ", p50 " + h.p50Ms() + " ms, errors " + Math.round(h.errorRate() * 100) + "%")
            .orElse(", no data")
        + ")";
  }
}
