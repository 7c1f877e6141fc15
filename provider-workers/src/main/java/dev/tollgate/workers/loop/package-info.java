/** The worker loop: consume a provider topic, call the provider, produce replies and usage. */
package dev.tollgate.workers.loop;
