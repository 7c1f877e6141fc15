/**
 * What the API formats share: a parsed chat request, the refusal of a bad body, field readers,
 * bounded inline data, and the {@link dev.tollgate.formats.ApiFormat} each API implements.
 */
package dev.tollgate.formats;
