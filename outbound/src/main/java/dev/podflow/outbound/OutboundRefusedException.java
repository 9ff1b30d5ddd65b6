package dev.podflow.outbound;

import dev.podflow.store.PodflowException;

/**
 * The outbound guard refused a URL: its host is, or resolves to, an address the pod must not reach
 * (loopback, private, link-local, metadata, ...) and {@value OutboundGuard#SETTING} does not allow
 * it. The message names the URL's host, the address and why, never a header.
 */
public final class OutboundRefusedException extends PodflowException {
  public OutboundRefusedException(String message) {
    super(message);
  }
}
