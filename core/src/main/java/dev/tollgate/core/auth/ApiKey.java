package dev.tollgate.core.auth;

/**
 * A gateway key as the services see it once authenticated: its id and its team. The secret is never
 * kept, only its hash.
 */
public record ApiKey(String id, String teamId) {}
