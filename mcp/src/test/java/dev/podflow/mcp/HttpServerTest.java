package dev.podflow.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.podflow.outbound.OutboundGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** server-everything over streamable HTTP, through the outbound guard. */
class HttpServerTest {
  private static final McpSettings SETTINGS =
      new McpSettings(Duration.ofSeconds(20), Duration.ofSeconds(20), null);
  private static EverythingHttpServer server;
  private static McpConnections allowingLoopback;
  private static McpConnections refusing;

  @BeforeAll
  static void start() throws IOException {
    server = new EverythingHttpServer();
    allowingLoopback =
        new McpConnections(
            new StdioCommands(List.of(), null),
            new OutboundGuard(List.of("127.0.0.1/32")),
            SETTINGS);
    refusing =
        new McpConnections(
            new StdioCommands(List.of(), null), new OutboundGuard(List.of()), SETTINGS);
  }

  @AfterAll
  static void stop() {
    allowingLoopback.close();
    refusing.close();
    server.close();
  }

  private static McpServerSpec at(String url) {
    return McpServerSpec.http("everything", url, Map.of("Authorization", "Bearer test-token"));
  }

  @Test
  void loopbackWorksWhenAllowed() {
    McpServerSpec spec = at(server.url("127.0.0.1"));
    assertThat(allowingLoopback.listTools("acme", spec))
        .extracting(McpTool::name)
        .contains("echo", "get-sum");
    assertThat(allowingLoopback.callTool("acme", spec, "get-sum", "{\"a\":1,\"b\":2}").text())
        .isEqualTo("The sum of 1 and 2 is 3.");
    McpToolResult error = allowingLoopback.callTool("acme", spec, "get-sum", "{\"a\":\"x\"}");
    assertThat(error.isError()).isTrue();
  }

  @Test
  void aCallTimeoutFailsRetryably() {
    McpServerSpec spec = at(server.url("127.0.0.1"));
    assertThatThrownBy(
            () ->
                allowingLoopback.callTool(
                    "timeout",
                    spec,
                    "trigger-long-running-operation",
                    "{\"duration\":5,\"steps\":5}",
                    Duration.ofMillis(300)))
        .isInstanceOf(McpServerUnavailableException.class)
        .hasMessageContaining("within 300 ms");
  }

  @Test
  void aLostSessionIsReopened() throws IOException {
    McpServerSpec spec = at(server.url("127.0.0.1"));
    assertThat(allowingLoopback.callTool("session", spec, "echo", "{\"message\":\"1\"}").text())
        .isEqualTo("Echo: 1");
    server.restart(); // the new process knows no session

    McpToolResult after = null;
    try {
      after = allowingLoopback.callTool("session", spec, "echo", "{\"message\":\"2\"}");
    } catch (McpServerUnavailableException e) {
      // the call that finds the session gone may fail retryably; the next one reconnects
      assertThat(e.retryable()).isTrue();
      after = allowingLoopback.callTool("session", spec, "echo", "{\"message\":\"2\"}");
    }
    assertThat(after.text()).isEqualTo("Echo: 2");
  }

  @Test
  void loopbackIsRefusedWithoutAllow() {
    assertThatThrownBy(() -> refusing.listTools("acme", at(server.url("127.0.0.1"))))
        .isInstanceOfSatisfying(
            McpServerRefusedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessage(
            "MCP server 'everything' is refused: host 127.0.0.1 is loopback: refused by the"
                + " outbound guard; PODFLOW_OUTBOUND_ALLOW can allow it");
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefused() {
    assertThatThrownBy(() -> refusing.listTools("acme", at(server.url("localhost"))))
        .isInstanceOf(McpServerRefusedException.class)
        .hasMessageContaining("host localhost resolves to")
        .hasMessageContaining("loopback");
  }

  @Test
  void ipv6LoopbackAndMetadataAreRefused() {
    assertThatThrownBy(() -> refusing.listTools("acme", at(server.url("[::1]"))))
        .isInstanceOf(McpServerRefusedException.class)
        .hasMessageContaining("host ::1 is loopback");
    assertThatThrownBy(() -> allowingLoopback.listTools("acme", at("http://169.254.169.254/")))
        .isInstanceOf(McpServerRefusedException.class)
        .hasMessageContaining("host 169.254.169.254 is link-local (cloud metadata)");
  }

  @Test
  void aRedirectIsFollowedToAnAllowedAddressAndRefusedToAnotherOne() throws IOException {
    HttpServer redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    redirector.createContext(
        "/to-everything",
        exchange -> {
          exchange.getResponseHeaders().add("Location", server.url("127.0.0.1"));
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    redirector.createContext(
        "/to-metadata",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    redirector.start();
    try {
      String base = "http://127.0.0.1:" + redirector.getAddress().getPort();
      McpServerSpec viaRedirect = at(base + "/to-everything");
      assertThat(
              allowingLoopback
                  .callTool("redirect", viaRedirect, "echo", "{\"message\":\"r\"}")
                  .text())
          .isEqualTo("Echo: r");

      assertThatThrownBy(() -> allowingLoopback.listTools("redirect", at(base + "/to-metadata")))
          .isInstanceOf(McpServerRefusedException.class)
          .hasMessageContaining(
              "a redirect to http://169.254.169.254/latest/meta-data/ was refused")
          .hasMessageContaining("link-local (cloud metadata)");
    } finally {
      redirector.stop(0);
    }
  }
}
