package dev.tollgate.router.health;

/**
 * What the router knows of one deployment right now, from its recent calls.
 *
 * @param samples calls observed in the window
 * @param p50Ms median latency of those calls
 * @param p95Ms 95th percentile latency
 * @param errorRate the share of those calls that failed (0 to 1)
 * @param circuitOpen whether the last observation reported the worker's circuit open
 */
public record DeploymentHealth(
    int samples, long p50Ms, long p95Ms, double errorRate, boolean circuitOpen) {}
