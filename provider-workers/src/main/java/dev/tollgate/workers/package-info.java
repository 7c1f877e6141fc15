/** The provider workers service: wiring, Kafka clients and adapters per provider. */
package dev.tollgate.workers;
