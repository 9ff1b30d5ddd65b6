package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An outputSchema is read like a form: never fetched from anywhere, checked with pointers. */
class OutputSchemaTest {
  private HttpServer schemaHost;
  private final AtomicInteger fetches = new AtomicInteger();

  /** A server that would hand out a schema accepting anything, and counts who asks. */
  @BeforeEach
  void startSchemaHost() throws IOException {
    schemaHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    schemaHost.createContext(
        "/",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/schema+json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    schemaHost.start();
  }

  @AfterEach
  void stopSchemaHost() {
    schemaHost.stop(0);
  }

  @Test
  void aRemoteRefIsRefusedWithoutBeingFetched() {
    String remote = "http://127.0.0.1:" + schemaHost.getAddress().getPort();

    assertThatThrownBy(
            () -> OutputSchema.compile(Json.parse("{\"$ref\":\"" + remote + "/any.json\"}")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("not a usable JSON Schema")
        .hasMessageContaining("cannot be loaded");
    // A relative $ref resolved against a remote $id is just as remote.
    assertThatThrownBy(
            () ->
                OutputSchema.compile(
                    Json.parse("{\"$id\":\"" + remote + "/base.json\",\"$ref\":\"other.json\"}")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("cannot be loaded");

    assertThat(fetches).hasValue(0);
  }

  @Test
  void answersAreCheckedAgainstLocalDefinitionsWithPointers() {
    OutputSchema schema =
        OutputSchema.compile(
            Json.parse(
                """
                {"type":"object","required":["age"],
                 "properties":{"age":{"$ref":"#/$defs/age"}},
                 "$defs":{"age":{"type":"integer","minimum":0}}}"""));

    assertThat(schema.check("```json\n{\"age\":36}\n```").valid()).isTrue();
    assertThat(schema.check("{\"age\":-1}").errors())
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("/age: "));
    assertThat(schema.check("{}").errors())
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("the answer: ").contains("age"));
    assertThat(schema.check("not json").errors())
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("the answer is not JSON"));
  }

  @Test
  void aSchemaThatBreaksItsMetaSchemaIsAPermanentFailure() {
    assertThatThrownBy(() -> OutputSchema.compile(Json.parse("{\"type\":\"objekt\"}")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("/type: ");
  }
}
