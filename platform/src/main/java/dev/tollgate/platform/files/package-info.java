/**
 * Uploaded files kept in Kafka (the Files API's chunks, and batches' results): how their lines are
 * stored and read back, shared by the Files and Batch APIs in ingest and by the batch runner.
 */
package dev.tollgate.platform.files;
