/**
 * What a chat request must be, whichever way it came in: the one validator for the HTTP API and for
 * records on {@code llm-requests}.
 */
package dev.tollgate.platform.requests;
