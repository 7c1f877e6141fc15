/**
 * The Avro contract of Tollgate (generated from {@code src/main/avro}) and the typed topic
 * registry, {@link dev.tollgate.schemas.Topics}.
 */
package dev.tollgate.schemas;
