/** Benchmarks: bounded load scenarios with results as JSON. */
package dev.tollgate.bench;
