package dev.podflow.api;

import dev.podflow.api.auth.JwtSettings;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.secret.SecretCipher;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How the execution API serves: its port, how it checks JWTs, which browser origins may call it
 * (CORS), where {@code /metrics} is served, which MCP servers tenants may register and the key of
 * their secrets. Immutable; start from {@link #onPort}.
 *
 * @param port the API's port (0 = any free port)
 * @param jwt how JWTs are checked, or empty for API keys only
 * @param corsOrigins the exact origins ({@code https://app.example.com}) browsers may call the API
 *     from; empty = no CORS headers at all
 * @param metricsPort where {@code /metrics} is served instead of the API's port (0 = any free
 *     port); empty = on the API's port
 * @param mcpAdmission what a tenant's MCP server must pass to be registered (the stdio allowlist,
 *     the outbound guard, the operator's catalogue)
 * @param secrets the key of the tenant secret store; empty = {@code PUT /api/v1/secrets} answers
 *     503
 * @param queryEmbedder embeds the query of memory searches ({@code GET
 *     /api/v1/agents/{id}/memories?query=}): one short text a search, never in bulk; it must be the
 *     pods' model (the in-process one loads on the first search)
 */
public record ApiSettings(
    int port,
    Optional<JwtSettings> jwt,
    List<String> corsOrigins,
    OptionalInt metricsPort,
    McpAdmission mcpAdmission,
    Optional<SecretCipher> secrets,
    Embedder queryEmbedder) {
  /** The variable {@link #corsOriginsFrom} reads, named in its messages. */
  public static final String CORS_ORIGINS_VARIABLE = "PODFLOW_CORS_ORIGINS";

  public ApiSettings {
    requirePort("port", port);
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(metricsPort, "metricsPort");
    metricsPort.ifPresent(p -> requirePort("metricsPort", p));
    Objects.requireNonNull(mcpAdmission, "mcpAdmission");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(queryEmbedder, "queryEmbedder");
    corsOrigins = List.copyOf(corsOrigins);
    for (String origin : corsOrigins) requireOrigin(origin);
  }

  /**
   * API keys only, no CORS, {@code /metrics} on the API's port, no MCP server admitted, no secret
   * store; memory searches embed with the in-process all-MiniLM ({@link Embedders#local}).
   */
  public static ApiSettings onPort(int port) {
    return new ApiSettings(
        port,
        Optional.empty(),
        List.of(),
        OptionalInt.empty(),
        McpAdmission.refuseAll(),
        Optional.empty(),
        Embedders.local());
  }

  public ApiSettings withJwt(Optional<JwtSettings> jwt) {
    return new ApiSettings(
        port, jwt, corsOrigins, metricsPort, mcpAdmission, secrets, queryEmbedder);
  }

  public ApiSettings withCorsOrigins(List<String> origins) {
    return new ApiSettings(port, jwt, origins, metricsPort, mcpAdmission, secrets, queryEmbedder);
  }

  public ApiSettings withMetricsPort(OptionalInt metricsPort) {
    return new ApiSettings(
        port, jwt, corsOrigins, metricsPort, mcpAdmission, secrets, queryEmbedder);
  }

  public ApiSettings withMcpAdmission(McpAdmission mcpAdmission) {
    return new ApiSettings(
        port, jwt, corsOrigins, metricsPort, mcpAdmission, secrets, queryEmbedder);
  }

  public ApiSettings withSecrets(Optional<SecretCipher> secrets) {
    return new ApiSettings(
        port, jwt, corsOrigins, metricsPort, mcpAdmission, secrets, queryEmbedder);
  }

  public ApiSettings withQueryEmbedder(Embedder queryEmbedder) {
    return new ApiSettings(
        port, jwt, corsOrigins, metricsPort, mcpAdmission, secrets, queryEmbedder);
  }

  /**
   * {@value #CORS_ORIGINS_VARIABLE}'s value: comma-separated exact origins; null or blank = none.
   *
   * @throws InvalidConfigurationException for {@code *} or an origin that is not {@code
   *     scheme://host[:port]}
   */
  public static List<String> corsOriginsFrom(String raw) {
    if (raw == null || raw.isBlank()) return List.of();
    Set<String> origins = new LinkedHashSet<>();
    for (String part : raw.split(",")) {
      String origin = part.trim();
      if (origin.isEmpty()) continue;
      requireOrigin(origin);
      origins.add(origin);
    }
    return new ArrayList<>(origins);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be from 0 to 65535, got " + port);
    }
  }

  /**
   * An origin as browsers send it: {@code http} or {@code https}, a host, an optional port, nothing
   * else (no path, not even {@code /}, no user, query or fragment), lower case.
   */
  private static void requireOrigin(String origin) {
    if (origin.contains("*")) {
      throw new InvalidConfigurationException(
          CORS_ORIGINS_VARIABLE
              + " must list exact origins such as https://app.example.com; '"
              + origin
              + "' is a wildcard, which would let any web page call the API with its users'"
              + " credentials");
    }
    String problem = originProblem(origin);
    if (problem != null) {
      throw new InvalidConfigurationException(
          CORS_ORIGINS_VARIABLE
              + " must list origins such as https://app.example.com (scheme, host and optional"
              + " port; comma-separated); '"
              + origin
              + "' "
              + problem);
    }
  }

  private static String originProblem(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return "is not a URI";
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      return "does not start with http:// or https://";
    }
    if (uri.getHost() == null || uri.getRawAuthority() == null) return "names no host";
    if (uri.getRawUserInfo() != null) return "holds a user name";
    if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "has a path, query or fragment (an origin ends after the host or port)";
    }
    if (!origin.equals(origin.toLowerCase(Locale.ROOT))) {
      return "is not in lower case, as browsers send origins";
    }
    return null;
  }
}
