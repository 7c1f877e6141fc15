/** Per-deployment protection: retry with backoff, circuit breaker, bulkhead. */
package dev.tollgate.workers.resilience;
