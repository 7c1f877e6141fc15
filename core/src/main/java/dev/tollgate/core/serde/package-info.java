/** Confluent-wire-format Avro serdes and a client for the Confluent schema registry REST API. */
package dev.tollgate.core.serde;
