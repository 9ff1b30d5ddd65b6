package dev.podflow.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.podflow.store.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {
  private final OutboundGuard refuseAll = new OutboundGuard(List.of());

  @Test
  void theResolverProviderIsActive() {
    assertThat(GuardedResolverProvider.active()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/",
        "http://127.8.9.10/",
        "http://localhost:8080/mcp",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a00:1::]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "https://255.255.255.255/"
      })
  void refusesInternalAddresses(String url) {
    assertThatThrownBy(() -> refuseAll.check(URI.create(url)))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("refused by the outbound guard; PODFLOW_OUTBOUND_ALLOW can allow it");
  }

  @Test
  void namesTheReason() {
    assertThatThrownBy(() -> refuseAll.check(URI.create("http://169.254.169.254/")))
        .hasMessage(
            "host 169.254.169.254 is link-local (cloud metadata): refused by the outbound guard;"
                + " PODFLOW_OUTBOUND_ALLOW can allow it");
    assertThatThrownBy(() -> refuseAll.check(URI.create("file:///etc/passwd")))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageStartingWith("only http and https URLs");
  }

  @Test
  void publicAddressesPass() {
    assertThatCode(() -> refuseAll.check(URI.create("https://93.184.216.34/mcp")))
        .doesNotThrowAnyException();
    assertThatCode(() -> refuseAll.check(URI.create("https://[2606:4700::1111]/")))
        .doesNotThrowAnyException();
  }

  @Test
  void allowedRangesAndHostsPass() {
    OutboundGuard guard =
        new OutboundGuard(List.of("127.0.0.1/32", " 10.0.0.0/8", "fd00::/8", "mcp.internal"));
    assertThatCode(() -> guard.check(URI.create("http://127.0.0.1:9/"))).doesNotThrowAnyException();
    assertThatCode(() -> guard.check(URI.create("http://10.9.8.7/"))).doesNotThrowAnyException();
    assertThatCode(() -> guard.check(URI.create("http://[fd12::1]/"))).doesNotThrowAnyException();
    assertThatCode(() -> guard.check(URI.create("http://MCP.internal/")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> guard.check(URI.create("http://127.0.0.2/")))
        .isInstanceOf(OutboundRefusedException.class);
  }

  @Test
  void aMalformedAllowEntryFailsAtStart() {
    assertThatThrownBy(() -> new OutboundGuard(List.of("10.0.0.0/33")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_OUTBOUND_ALLOW lists '10.0.0.0/33'");
  }

  /**
   * DNS rebinding: the name resolves to a public address when the guard looks and to loopback when
   * the client connects. The resolution at connect time is checked, so the request never arrives.
   */
  @Test
  void aNameThatRebindsToLoopbackAtConnectTimeIsRefused() throws Exception {
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger arrived = new AtomicInteger();
    target.createContext(
        "/",
        exchange -> {
          arrived.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    target.start();
    AtomicInteger lookups = new AtomicInteger();
    InetAddress publicAddress = InetAddress.getByName("93.184.216.34");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    GuardedResolverProvider.testAnswers =
        host ->
            host.equals("rebind.podflow.test")
                ? Optional.of(List.of(lookups.getAndIncrement() == 0 ? publicAddress : loopback))
                : Optional.empty();
    try (var client = refuseAll.clientBuilder(List.of(), c -> {}).build()) {
      URI url = URI.create("http://rebind.podflow.test:" + target.getAddress().getPort() + "/");
      assertThatThrownBy(
              () ->
                  client
                      .sendAsync(
                          HttpRequest.newBuilder(url).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(OutboundRefusedException.class)
          .hasMessageContaining("rebind.podflow.test now resolves to 127.0.0.1, which is loopback");
      assertThat(lookups.get()).isGreaterThanOrEqualTo(2);
      assertThat(arrived.get()).isZero();
    } finally {
      GuardedResolverProvider.testAnswers = host -> Optional.empty();
      target.stop(0);
    }
  }
}
