/** JSON Schema as each provider API takes it (Gemini's OpenAPI 3.0 subset). */
package dev.tollgate.platform.schema;
