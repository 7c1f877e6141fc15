/**
 * Kafka plumbing every service shares: connection settings, topic creation, the embedded broker.
 */
package dev.tollgate.core.kafka;
