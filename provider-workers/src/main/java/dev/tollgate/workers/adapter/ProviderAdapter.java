package dev.tollgate.workers.adapter;

import dev.tollgate.schemas.DeploymentRef;
import dev.tollgate.schemas.LlmRequest;

/** Maps Tollgate's request to one provider API's wire format, and its answers back. */
public interface ProviderAdapter {

  /** The HTTP call that asks {@code deployment} to answer {@code request}. */
  HttpCall prepare(LlmRequest request, DeploymentRef deployment);

  /** The result of a response with {@code status} and {@code body}. */
  ProviderResult parse(int status, String body);
}
