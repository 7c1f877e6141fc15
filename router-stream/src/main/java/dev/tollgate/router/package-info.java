/** The router: a Kafka Streams app that assigns each request to a provider topic. */
package dev.tollgate.router;
