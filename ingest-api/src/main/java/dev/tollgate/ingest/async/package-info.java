/**
 * Async single requests: {@code Prefer: respond-async} answers 202 at once; the reply is kept in
 * Kafka, fetched with {@code GET /v1/requests/{id}} and, if asked for, posted to a callback URL.
 */
package dev.tollgate.ingest.async;
