/**
 * The OpenAI Batch and Files APIs: uploads kept in Kafka, batches run by a Kafka Streams topology
 * that sends their lines on the bulk lane and collects the replies into output and error files.
 */
package dev.tollgate.ingest.batch;
