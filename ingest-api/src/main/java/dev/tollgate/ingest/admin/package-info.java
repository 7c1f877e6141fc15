/**
 * The admin API: teams, keys and routes, written to {@code gateway-config} and read back from it.
 */
package dev.tollgate.ingest.admin;
