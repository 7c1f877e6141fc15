/** The usage aggregator: the exact spend ledger, its tables and their query API. */
package dev.tollgate.usage;
