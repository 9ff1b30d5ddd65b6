package dev.podflow.api;

/**
 * A JSON-RPC error of the A2A server: the request was understood but cannot be answered with a
 * result; {@code code} is the one A2A names (-32001 task not found, -32002 not cancelable, -32601
 * method not found, -32602 invalid params, …).
 */
final class A2aRpcError extends RuntimeException {
  private final int code;

  A2aRpcError(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  int code() {
    return code;
  }
}
