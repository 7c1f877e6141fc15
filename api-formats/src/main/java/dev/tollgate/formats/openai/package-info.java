/**
 * OpenAI's wire formats: chat completion requests parsed and validated into the contract, replies
 * and errors rendered, and the Batch API's line formats.
 */
package dev.tollgate.formats.openai;
