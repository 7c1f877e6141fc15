/**
 * Anthropic's Messages API wire format: requests read into the contract (which is OpenAI-shaped),
 * replies rendered as Anthropic messages, whichever provider served them.
 */
package dev.tollgate.formats.anthropic;
