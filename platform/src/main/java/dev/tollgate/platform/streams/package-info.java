/** The shared Kafka Streams runner and per-service Streams options. */
package dev.tollgate.platform.streams;
