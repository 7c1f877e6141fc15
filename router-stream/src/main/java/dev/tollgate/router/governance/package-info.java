/**
 * What the router decides per team before routing: who sent the request, whether it may use the
 * model, its rate limits and its budget reservations. State lives in the task that owns the team's
 * partition, so each check is exact however many router instances run.
 */
package dev.tollgate.router.governance;
