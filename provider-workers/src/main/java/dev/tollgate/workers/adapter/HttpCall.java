package dev.tollgate.workers.adapter;

import java.util.Map;

/** One HTTP request to a provider, as an adapter prepared it. */
public record HttpCall(String url, Map<String, String> headers, String body) {

  @Override
  public String toString() {
    // Headers carry the provider key: never print them.
    return "HttpCall[" + url + "]";
  }
}
