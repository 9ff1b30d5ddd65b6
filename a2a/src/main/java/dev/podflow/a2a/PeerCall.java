package dev.podflow.a2a;

import java.time.Duration;
import java.util.Map;

/**
 * How one step calls its peer: how long a reply may take, and the headers every request carries
 * (the bearer token of a peer whose agent profile names credentials). {@link #toString} never shows
 * a header's value.
 */
public record PeerCall(Duration timeout, Map<String, String> headers) {
  public PeerCall {
    headers = Map.copyOf(headers);
  }

  /** No headers. */
  public static PeerCall within(Duration timeout) {
    return new PeerCall(timeout, Map.of());
  }

  @Override
  public String toString() {
    return "PeerCall[" + timeout + ", headers " + headers.keySet() + "]";
  }
}
