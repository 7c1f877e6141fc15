/**
 * The embedded, Confluent-compatible schema registry: its store, its Kafka-backed log and its REST
 * routes; plus an in-process client for tests and single-JVM use.
 */
package dev.tollgate.embedded.registry;
