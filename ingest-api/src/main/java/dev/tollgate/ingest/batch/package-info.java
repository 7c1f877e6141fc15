/**
 * The OpenAI Batch and Files APIs: uploads kept in Kafka, batches created and cancelled as
 * commands, and views of files and batches; the batch runner (its own deployable) runs them.
 */
package dev.tollgate.ingest.batch;
