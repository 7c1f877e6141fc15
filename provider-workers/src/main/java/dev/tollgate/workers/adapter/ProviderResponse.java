package dev.tollgate.workers.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A provider's answer as every adapter reads it first: its JSON (null when the body is not JSON)
 * and its {@code Retry-After}, read against the adapter's clock.
 */
record ProviderResponse(int status, JsonNode json, Duration retryAfter) {

  static ProviderResponse read(
      int status, Function<String, String> headers, String body, Clock clock) {
    return new ProviderResponse(
        status,
        Json.parseOrNull(body),
        RetryAfter.from(headers, ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))));
  }

  /**
   * The failure this answer is, if it is one: a body that is not JSON, or a status other than 2xx
   * or a body {@code saysError}, with the type and code of its {@code error} object under this
   * API's field names (the type when both name the same field).
   */
  Optional<ProviderResult.Failure> failure(
      Predicate<JsonNode> saysError, String typeField, String codeField) {
    if (json == null) {
      return Optional.of(ProviderResult.Failure.notJson(status, retryAfter));
    }
    if (status / 100 == 2 && !saysError.test(json)) {
      return Optional.empty();
    }
    JsonNode error = json.path("error");
    String type = Json.text(error, typeField, "provider_error");
    String code = codeField.equals(typeField) ? type : Json.text(error, codeField, null);
    return Optional.of(
        ProviderResult.Failure.upstream(
            status, type, code, Json.text(error, "message", null), retryAfter));
  }
}
