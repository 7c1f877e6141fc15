package dev.tollgate.workers.adapter;

import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;
import java.util.function.Function;

/** Maps Tollgate's request to one provider API's wire format, and its answers back. */
public interface ProviderAdapter {

  /** The HTTP call that asks {@code deployment} to answer {@code request}. */
  HttpCall prepare(LlmRequest request, DeploymentRef deployment);

  /**
   * The result of a response with {@code status}, {@code headers} (looked up by name, case
   * insensitive, null when absent) and {@code body}.
   */
  ProviderResult parse(int status, Function<String, String> headers, String body);
}
