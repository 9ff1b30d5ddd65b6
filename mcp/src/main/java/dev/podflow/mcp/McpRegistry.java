package dev.podflow.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.mcp.McpServer;
import dev.podflow.store.mcp.McpServerDao;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Where a pod finds the MCP servers of a step's tenant, read at every use so that a server enabled,
 * disabled or changed through {@code /api/v1/mcp-servers} counts from the next call on, without a
 * restart: the tenant's own servers (table {@code mcp_servers}, their {@code ${NAME}} resolved from
 * the tenant's secret store only — never from the pod's environment, or a tenant could read {@code
 * ${DATABASE_URL}}), then the operator's catalogue ({@code PODFLOW_MCP_CONFIG}, resolved from the
 * pod's environment when it was read) where it offers the server to the tenant. A tenant's own
 * server shadows a catalogue entry of the same name for that tenant (the API refuses such names,
 * but the catalogue may gain one later). Thread-safe.
 */
public final class McpRegistry {
  private final Jdbi jdbi;
  private final List<McpServerSpec> catalogue;
  private final Optional<SecretCipher> cipher;

  public McpRegistry(Jdbi jdbi, List<McpServerSpec> catalogue, Optional<SecretCipher> cipher) {
    this.jdbi = jdbi;
    this.catalogue = List.copyOf(catalogue);
    this.cipher = cipher;
  }

  /**
   * The registry of a pod: its database, the catalogue {@code PODFLOW_MCP_CONFIG} names and the
   * secret key {@code PODFLOW_SECRETS_KEY}, both from the pod's settings.
   *
   * @throws dev.podflow.store.InvalidConfigurationException for a bad mcp.json or key
   */
  public static McpRegistry forPod(Jdbi jdbi, Map<String, String> settings) {
    return new McpRegistry(
        jdbi,
        McpConfigFile.fromEnvironment(new Environment(settings)),
        SecretCipher.fromEnvironment(settings));
  }

  /**
   * The server {@code name} as {@code tenant} may use it now, its references resolved; a disabled
   * one is returned disabled (so that its connection is closed when it is used).
   *
   * @throws McpServerRefusedException when the tenant has no server of that name, or a reference
   *     cannot be resolved
   */
  public McpServerSpec server(String tenant, String name) {
    Optional<McpServer> own =
        jdbi.withHandle(h -> h.attach(McpServerDao.class).mcpServerGet(tenant, name));
    if (own.isPresent()) return resolved(tenant, own.get());
    return catalogue.stream()
        .filter(spec -> spec.name().equals(name) && spec.offeredTo(tenant))
        .findFirst()
        .orElseThrow(
            () ->
                new McpServerRefusedException(
                    name,
                    "no MCP server '"
                        + name
                        + "' is registered for this tenant (POST /api/v1/mcp-servers) nor offered"
                        + " by the operator's catalogue (PODFLOW_MCP_CONFIG)"));
  }

  /** The names of the servers the tenant may use now: its own enabled ones and the catalogue's. */
  public List<String> names(String tenant) {
    Map<String, Boolean> names = new LinkedHashMap<>();
    jdbi.withHandle(h -> h.attach(McpServerDao.class).mcpServerListEnabled(tenant))
        .forEach(server -> names.put(server.name(), true));
    for (McpServerSpec spec : catalogue) {
      if (spec.enabled() && spec.offeredTo(tenant)) names.putIfAbsent(spec.name(), true);
    }
    return new ArrayList<>(names.keySet());
  }

  private McpServerSpec resolved(String tenant, McpServer server) {
    McpServerSpec spec =
        new McpServerSpec(
            server.name(),
            server.command(),
            strings(server.args()),
            stringMap(server.env()),
            server.url(),
            stringMap(server.headers()),
            server.enabled(),
            List.of(tenant));
    if (!spec.enabled()) return spec;
    try {
      return spec.resolve(name -> secret(tenant, server.name(), name), "the tenant's");
    } catch (InvalidConfigurationException e) { // a reference to a secret the tenant lacks
      throw new McpServerRefusedException(
          server.name(), e.getMessage() + "; store it with PUT /api/v1/secrets/{name}");
    }
  }

  private Optional<String> secret(String tenant, String server, String name) {
    SecretCipher key =
        cipher.orElseThrow(
            () ->
                new McpServerRefusedException(
                    server,
                    "its definition references the secret ${"
                        + name
                        + "}, but this pod has no "
                        + SecretCipher.KEY_VARIABLE
                        + " to read the tenant's secrets with"));
    return jdbi.withHandle(h -> h.attach(SecretDao.class).secretValue(tenant, name, key));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> values = new LinkedHashMap<>();
    if (object != null)
      object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    return values;
  }
}
