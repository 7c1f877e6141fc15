package dev.tollgate.ingest.async;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which callback URLs an async request may name: absolute http or https URLs, and, when {@code
 * ingest.callback-allowed-hosts} lists hosts, only those hosts and their subdomains. Without the
 * list any host is allowed, so any key holder can make the gateway POST to any address it reaches.
 */
final class CallbackPolicy {

  private final List<String> hosts;

  CallbackPolicy(String allowedHosts) {
    this.hosts =
        Arrays.stream(allowedHosts.split(","))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .toList();
  }

  /** Why {@code url} may not be a callback; null if it may. */
  String refusal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || !uri.isAbsolute()
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      return "must be an absolute http or https URL";
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (!hosts.isEmpty()
        && hosts.stream().noneMatch(h -> host.equals(h) || host.endsWith("." + h))) {
      return "host '" + host + "' is not among the allowed callback hosts";
    }
    return null;
  }
}
