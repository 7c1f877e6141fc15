/** The ingest API: OpenAI-compatible HTTP in front of the request and reply topics. */
package dev.tollgate.ingest;
