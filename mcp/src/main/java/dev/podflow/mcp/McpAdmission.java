package dev.podflow.mcp;

import dev.podflow.outbound.OutboundGuard;
import dev.podflow.outbound.OutboundRefusedException;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API checks when a tenant's admin registers or changes an MCP server, so that a server
 * the pods would refuse is refused at once with the reason: its command must be on the stdio
 * allowlist ({@value StdioCommands#SETTING}), its URL must pass the outbound guard ({@value
 * OutboundGuard#SETTING}), and its name must not be one the operator's catalogue ({@value
 * McpConfigFile#SETTING}) offers the tenant. The pods check the command and the URL again when they
 * connect (the settings may differ, a host may resolve elsewhere later); give the API and the pods
 * the same settings. Immutable and thread-safe.
 */
public final class McpAdmission {
  private final StdioCommands commands;
  private final OutboundGuard guard;
  private final List<McpServerSpec> catalogue;

  public McpAdmission(StdioCommands commands, OutboundGuard guard, List<McpServerSpec> catalogue) {
    this.commands = commands;
    this.guard = guard;
    this.catalogue = List.copyOf(catalogue);
  }

  /**
   * The checks the environment's settings describe.
   *
   * @throws InvalidConfigurationException for a bad allowlist, allow setting or mcp.json
   */
  public static McpAdmission fromEnvironment(Environment environment) {
    return new McpAdmission(
        StdioCommands.fromEnvironment(environment),
        OutboundGuard.fromEnvironment(environment),
        McpConfigFile.fromEnvironment(environment));
  }

  /** No stdio command, no guarded address, no catalogue: what an API given no settings admits. */
  public static McpAdmission refuseAll() {
    return new McpAdmission(
        new StdioCommands(List.of(), null), new OutboundGuard(List.of()), List.of());
  }

  /** Why server {@code name} may not start {@code command}; empty when it may. */
  public Optional<String> commandRefusal(String name, String command) {
    try {
      commands.check(McpServerSpec.stdio(name, command, List.of(), Map.of()));
      return Optional.empty();
    } catch (McpServerRefusedException | InvalidConfigurationException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Why server {@code name} may not be reached at {@code url}; empty when it may. The URL may
   * reference the tenant's secrets ({@code ${NAME}}) in its query only, so its host is known here.
   */
  public Optional<String> urlRefusal(String name, String url) {
    int query = url.indexOf('?');
    if (url.substring(0, query < 0 ? url.length() : query).contains("${")) {
      return Optional.of("a url may reference secrets (${NAME}) in its query only");
    }
    try {
      guard.check(McpServerSpec.http(name, url.replaceAll("\\$\\{[^}]*}", "x"), Map.of()).uri());
      return Optional.empty();
    } catch (OutboundRefusedException | InvalidConfigurationException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Whether the operator's catalogue offers {@code tenant} a server named {@code name}. */
  public boolean catalogueOffers(String tenant, String name) {
    return offeredBy(tenant).contains(name);
  }

  /** The names of the catalogue's servers offered to {@code tenant}, enabled or not. */
  public List<String> offeredBy(String tenant) {
    return catalogue.stream()
        .filter(spec -> spec.offeredTo(tenant))
        .map(McpServerSpec::name)
        .toList();
  }
}
