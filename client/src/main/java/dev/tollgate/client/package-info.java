/**
 * The client library for backend jobs: submit chat requests to {@code llm-requests} and collect
 * their replies from a reply topic of the job's own, as futures.
 */
package dev.tollgate.client;
