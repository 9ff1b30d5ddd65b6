package dev.podflow.store.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a server whose open connections can be made to go silent, as over a
 * network path that died: from then on their bytes are swallowed in both directions and nothing is
 * closed, so neither end hears of it. Connections made afterwards pass normally. A target nobody
 * listens on makes every connection close at once.
 */
final class SilenceableProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listening;
  private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();

  SilenceableProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("silenceable-proxy-accept").start(this::accept);
  }

  int port() {
    return listening.getLocalPort();
  }

  /** Every connection open now stops passing bytes, without being closed. */
  void silenceOpenConnections() {
    pipes.forEach(pipe -> pipe.silent = true);
  }

  @Override
  public void close() throws IOException {
    listening.close();
    pipes.forEach(Pipe::close);
  }

  private void accept() {
    while (!listening.isClosed()) {
      Socket client;
      try {
        client = listening.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Pipe pipe = new Pipe(client, new Socket(targetHost, targetPort));
        pipes.add(pipe);
        pipe.start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private final class Pipe {
    private final Socket client;
    private final Socket server;
    private volatile boolean silent;

    Pipe(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() throws IOException {
      InputStream fromClient = client.getInputStream();
      OutputStream toServer = server.getOutputStream();
      InputStream fromServer = server.getInputStream();
      OutputStream toClient = client.getOutputStream();
      Thread.ofVirtual().start(() -> copy(fromClient, toServer));
      Thread.ofVirtual().start(() -> copy(fromServer, toClient));
    }

    private void copy(InputStream in, OutputStream out) {
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (silent) continue;
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: so does the pipe
      }
      close();
    }

    void close() {
      pipes.remove(this);
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
