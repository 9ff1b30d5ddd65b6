package dev.podflow.mcp;

import dev.podflow.store.InvalidConfigurationException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One MCP server's definition: a stdio server (a {@code command} with {@code args} and the {@code
 * env} its process gets, nothing else) or a streamable HTTP server (a {@code url} and the {@code
 * headers} every request carries). {@code tenants} limits an operator's entry to those tenants
 * (empty: every tenant). Immutable; {@link #toString} names env and header keys, never values.
 */
public record McpServerSpec(
    String name,
    String command,
    List<String> args,
    Map<String, String> env,
    String url,
    Map<String, String> headers,
    boolean enabled,
    List<String> tenants) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public McpServerSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidConfigurationException(
          "MCP server name '"
              + name
              + "' must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or"
              + " digit");
    }
    if ((command == null) == (url == null)) {
      throw new InvalidConfigurationException(
          "MCP server '" + name + "' needs either a command (stdio) or a url (HTTP), not both");
    }
    args = List.copyOf(args == null ? List.of() : args);
    env = new TreeMap<>(env == null ? Map.of() : env);
    headers = new TreeMap<>(headers == null ? Map.of() : headers);
    tenants = List.copyOf(tenants == null ? List.of() : tenants);
    if (command != null && command.isBlank()) {
      throw new InvalidConfigurationException("MCP server '" + name + "' has a blank command");
    }
    if (command == null && (!args.isEmpty() || !env.isEmpty())) {
      throw new InvalidConfigurationException(
          "MCP server '" + name + "': args and env are for stdio servers (with a command)");
    }
    if (url == null && !headers.isEmpty()) {
      throw new InvalidConfigurationException(
          "MCP server '" + name + "': headers are for HTTP servers (with a url)");
    }
    if (url != null && !url.contains("${")) uri(name, url); // checked again once resolved
    env = java.util.Collections.unmodifiableMap(env);
    headers = java.util.Collections.unmodifiableMap(headers);
  }

  /** A stdio server, enabled, offered to every tenant. */
  public static McpServerSpec stdio(
      String name, String command, List<String> args, Map<String, String> env) {
    return new McpServerSpec(name, command, args, env, null, null, true, null);
  }

  /**
   * A streamable HTTP server (its url may hold {@code ${NAME}} until {@link #resolve}d), enabled,
   * offered to every tenant.
   */
  public static McpServerSpec http(String name, String url, Map<String, String> headers) {
    return new McpServerSpec(name, null, null, null, url, headers, true, null);
  }

  public McpServerSpec withEnabled(boolean enabled) {
    return new McpServerSpec(name, command, args, env, url, headers, enabled, tenants);
  }

  public McpServerSpec withTenants(List<String> tenants) {
    return new McpServerSpec(name, command, args, env, url, headers, enabled, tenants);
  }

  public boolean isStdio() {
    return command != null;
  }

  /** Whether {@code tenant} may use this server: every tenant unless {@code tenants} names some. */
  public boolean offeredTo(String tenant) {
    return tenants.isEmpty() || tenants.contains(tenant);
  }

  /**
   * This definition with every {@code ${NAME}} in the command, args, env values, url and header
   * values replaced from {@code lookup}; {@code origin} (e.g. the file) goes into the errors, which
   * name the reference but never a value.
   */
  public McpServerSpec resolve(SecretLookup lookup, String origin) {
    String where = origin + " server '" + name + "'";
    String resolvedCommand = Placeholders.resolve(command, lookup, where + " command");
    List<String> resolvedArgs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      resolvedArgs.add(Placeholders.resolve(args.get(i), lookup, where + " args[" + i + "]"));
    }
    Map<String, String> resolvedEnv = new TreeMap<>();
    env.forEach(
        (key, value) ->
            resolvedEnv.put(key, Placeholders.resolve(value, lookup, where + " env " + key)));
    String resolvedUrl = Placeholders.resolve(url, lookup, where + " url");
    Map<String, String> resolvedHeaders = new TreeMap<>();
    headers.forEach(
        (key, value) ->
            resolvedHeaders.put(
                key, Placeholders.resolve(value, lookup, where + " header " + key)));
    return new McpServerSpec(
        name,
        resolvedCommand,
        resolvedArgs,
        resolvedEnv,
        resolvedUrl,
        resolvedHeaders,
        enabled,
        tenants);
  }

  /**
   * A digest of everything that shapes the connection (values included, so a rotated secret
   * reconnects); equal fingerprints mean an open connection can be kept.
   */
  public String fingerprint() {
    StringBuilder text = new StringBuilder();
    text.append(name).append('\0').append(command).append('\0').append(url).append('\0');
    args.forEach(arg -> text.append("a:").append(arg).append('\0'));
    env.forEach((k, v) -> text.append("e:").append(k).append('=').append(v).append('\0'));
    headers.forEach((k, v) -> text.append("h:").append(k).append('=').append(v).append('\0'));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return isStdio()
        ? "McpServerSpec["
            + name
            + ", stdio "
            + command
            + " "
            + args
            + ", env "
            + env.keySet()
            + "]"
        : "McpServerSpec[" + name + ", http " + shown(url) + ", headers " + headers.keySet() + "]";
  }

  /** A url for messages and logs: its query may carry a key, so it is left out. */
  static String shown(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }

  /** The url as a URI; only for an HTTP server whose url has no {@code ${NAME}} left. */
  public URI uri() {
    if (url == null) throw new IllegalStateException("MCP server '" + name + "' is a stdio server");
    return uri(name, url);
  }

  private static URI uri(String name, String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new InvalidConfigurationException(
          "MCP server '" + name + "' url " + shown(text) + " is not a URL: " + e.getReason());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new InvalidConfigurationException(
          "MCP server '"
              + name
              + "' url "
              + shown(text)
              + " must be an http or https URL with a host");
    }
    if (url.getRawUserInfo() != null) {
      throw new InvalidConfigurationException(
          "MCP server '" + name + "' url must not carry credentials; use headers");
    }
    return url;
  }
}
