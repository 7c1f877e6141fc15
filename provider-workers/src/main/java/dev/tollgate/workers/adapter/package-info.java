/** Provider adapters: Tollgate's request in each provider's wire format, and results back. */
package dev.tollgate.workers.adapter;
