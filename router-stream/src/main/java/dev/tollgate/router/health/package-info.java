/** The router's view of deployment health, from provider-health observations. */
package dev.tollgate.router.health;
