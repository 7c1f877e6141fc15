/**
 * One request's calls: the provider call with its guard, retries and intent record, and the records
 * its outcome produces (reply, usage, health, cache, fallback, dead letter).
 */
package dev.tollgate.workers.call;
