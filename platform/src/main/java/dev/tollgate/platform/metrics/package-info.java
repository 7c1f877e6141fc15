/** Micrometer registries exposed in Prometheus format. */
package dev.tollgate.platform.metrics;
