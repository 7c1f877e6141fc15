/** The {@code tollgate} command line: local mode and the per-service processes. */
package dev.tollgate.launcher;
