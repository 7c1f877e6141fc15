/** HTTP pieces every service shares: OpenAI-shaped errors, metrics and health routes. */
package dev.tollgate.platform.http;
