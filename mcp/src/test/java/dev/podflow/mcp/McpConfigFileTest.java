package dev.podflow.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpConfigFileTest {
  private static final String FILE =
      """
      {"mcpServers": {
        "files": {"command": "node", "args": ["server.js", "--root=${ROOT}"],
                  "env": {"TOKEN": "${FILES_TOKEN}"}},
        "search": {"type": "http", "url": "https://${SEARCH_HOST}/mcp",
                   "headers": {"Authorization": "Bearer ${SEARCH_KEY}"},
                   "tenants": ["acme"], "enabled": false}
      }}
      """;

  @Test
  void readsTheStandardShapeFromThePathTheSettingNames(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("mcp.json"), FILE);
    List<McpServerSpec> specs =
        McpConfigFile.fromEnvironment(
            new Environment(
                Map.of(
                    "PODFLOW_MCP_CONFIG", file.toString(),
                    "ROOT", "/srv",
                    "FILES_TOKEN", "t0ken",
                    "SEARCH_HOST", "search.example",
                    "SEARCH_KEY", "k3y")));

    assertThat(specs).hasSize(2);
    McpServerSpec files = specs.get(0);
    assertThat(files.isStdio()).isTrue();
    assertThat(files.command()).isEqualTo("node");
    assertThat(files.args()).containsExactly("server.js", "--root=/srv");
    assertThat(files.env()).containsExactly(Map.entry("TOKEN", "t0ken"));
    assertThat(files.enabled()).isTrue();
    assertThat(files.offeredTo("anyone")).isTrue();
    assertThat(files.toString()).doesNotContain("t0ken");

    McpServerSpec search = specs.get(1);
    assertThat(search.uri().toString()).isEqualTo("https://search.example/mcp");
    assertThat(search.headers()).containsEntry("Authorization", "Bearer k3y");
    assertThat(search.enabled()).isFalse();
    assertThat(search.offeredTo("acme")).isTrue();
    assertThat(search.offeredTo("globex")).isFalse();
    assertThat(search.toString()).doesNotContain("k3y");
  }

  @Test
  void noSettingNoServers() {
    assertThat(McpConfigFile.fromEnvironment(new Environment(Map.of()))).isEmpty();
  }

  @Test
  void aMissingReferenceIsNamedNeverAValue() {
    assertThatThrownBy(
            () ->
                McpConfigFile.parse(
                    FILE, "/etc/podflow/mcp.json", SecretLookup.of(Map.of("ROOT", "/srv"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "/etc/podflow/mcp.json server 'files' env TOKEN refers to ${FILES_TOKEN}, which is not"
                + " set");
  }

  @Test
  void aTenantsServerResolvesOnlyFromItsSecrets() {
    McpServerSpec registered =
        McpServerSpec.http("crm", "https://crm.example/mcp", Map.of("X-Api-Key", "${CRM_KEY}"));
    assertThat(
            registered
                .resolve(SecretLookup.of(Map.of("CRM_KEY", "secret-1")), "tenant acme")
                .headers())
        .containsEntry("X-Api-Key", "secret-1");
    assertThatThrownBy(() -> registered.resolve(SecretLookup.none(), "tenant acme"))
        .hasMessage(
            "tenant acme server 'crm' header X-Api-Key refers to ${CRM_KEY}, which is not set");
  }

  @Test
  void malformedEntriesNameTheFileAndTheEntry() {
    assertThat(problem("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"args\": \"-v\"}}}"))
        .isEqualTo("f.json server 'a': args must be an array of strings");
    assertThat(problem("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"cwd\": \"/\"}}}"))
        .startsWith("f.json server 'a': has an unknown key 'cwd'");
    assertThat(problem("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"url\": \"http://h\"}}}"))
        .contains("needs either a command (stdio) or a url (HTTP), not both");
    assertThat(problem("{\"mcpServers\": {\"a\": {\"type\": \"sse\", \"url\": \"http://h\"}}}"))
        .isEqualTo("f.json server 'a': type 'sse' is not stdio, http or streamable-http");
    assertThat(problem("{\"mcpServers\": {\"a\": {\"url\": \"ftp://h/x\"}}}"))
        .contains("must be an http or https URL with a host");
    assertThat(problem("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"env\": {\"K\": 1}}}}"))
        .isEqualTo("f.json server 'a': env 'K' must be a string");
    assertThat(problem("{\"mcpServers\": {\"a\": {\"command\": \"${X\"}}}"))
        .isEqualTo("f.json server 'a' command: a '${' is not closed by '}'");
    assertThat(problem("{\"servers\": {}}"))
        .isEqualTo("f.json must be a JSON object with an \"mcpServers\" object");
    assertThat(problem("{\"mcpServers\": {\"a\": {}, \"a\": {}}}"))
        .startsWith("f.json is not valid JSON");
    assertThat(problem("{\"mcpServers\": {\"bad name\": {\"command\": \"x\"}}}"))
        .contains("MCP server name 'bad name' must be");
  }

  @Test
  void theFingerprintFollowsEveryValue() {
    McpServerSpec one = McpServerSpec.stdio("a", "node", List.of("x"), Map.of("K", "1"));
    assertThat(one.fingerprint())
        .isEqualTo(McpServerSpec.stdio("a", "node", List.of("x"), Map.of("K", "1")).fingerprint());
    assertThat(one.fingerprint())
        .isNotEqualTo(
            McpServerSpec.stdio("a", "node", List.of("x"), Map.of("K", "2")).fingerprint());
    assertThat(one.fingerprint())
        .isNotEqualTo(
            McpServerSpec.stdio("a", "node", List.of("y"), Map.of("K", "1")).fingerprint());
  }

  private static String problem(String json) {
    try {
      McpConfigFile.parse(json, "f.json", SecretLookup.none());
    } catch (InvalidConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + json);
  }
}
