/**
 * The worker loop: consume a provider's two lanes, hand each request to its call, and commit what
 * the calls produced with the consumed offsets, one transaction per lane.
 */
package dev.tollgate.workers.loop;
