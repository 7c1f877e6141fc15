package dev.tollgate.mock;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** One provider API's shape, as the mock speaks it. */
interface WireFormat {

  /** Whether the request carries this API's credential header (any value). */
  boolean authenticated(RoutingContext ctx);

  /** The call in {@code body}; throws IllegalArgumentException naming what is wrong. */
  MockCall parse(String provider, RoutingContext ctx, JsonObject body);

  JsonObject success(String id, MockCall call, MockUsage usage, Instant now);

  /**
   * What a {@link #success} answer bills, read from the usage it reports in this API's own
   * semantics, the way the provider's invoice would count it.
   */
  BilledTokens billed(JsonObject success);

  JsonObject error(int status, String type, String message);
}
