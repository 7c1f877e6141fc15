/**
 * The batch runner: an exactly-once Kafka Streams app that sends the lines of each batch on the
 * bulk lane and collects the replies into its output and error files.
 */
package dev.tollgate.batch;
