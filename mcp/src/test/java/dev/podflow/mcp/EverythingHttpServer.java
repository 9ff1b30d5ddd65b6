package dev.podflow.mcp;

import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real server-everything over streamable HTTP on a free port, stopped by {@link #close}. */
final class EverythingHttpServer implements AutoCloseable {
  private final int port;
  private Process process;

  EverythingHttpServer() throws IOException {
    this(freePort());
  }

  EverythingHttpServer(int port) throws IOException {
    this.port = port;
    start();
  }

  int port() {
    return port;
  }

  /** The MCP endpoint at {@code host} (e.g. 127.0.0.1, localhost, [::1]). */
  String url(String host) {
    return "http://" + host + ":" + port + "/mcp";
  }

  /** Stops the process and starts a new one on the same port: every session is lost. */
  void restart() throws IOException {
    stop();
    start();
  }

  private void start() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(NpmTools.everything().toString(), "streamableHttp")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PORT", Integer.toString(port));
    process = builder.start();
    Eventually.await(Duration.ofSeconds(20), "server-everything on port " + port, this::listening);
  }

  private boolean listening() {
    if (!process.isAlive()) throw new AssertionError("server-everything exited: " + process);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
