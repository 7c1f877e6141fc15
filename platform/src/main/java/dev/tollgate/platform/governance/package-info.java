/**
 * The gateway's run-time configuration (teams, keys, routes) as every service reads it from the
 * compacted {@code gateway-config} topic, and the rules a valid entry keeps.
 */
package dev.tollgate.platform.governance;
