package dev.podflow.store;

import dev.podflow.store.access.DatabaseRole;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where and how to connect to PostgreSQL.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://} URL
 * @param user the user, or null when the URL carries it
 * @param password the password, or null
 * @param maxPoolSize the largest number of pooled connections
 * @param poolName names the pool in logs and metrics
 * @param role the {@link DatabaseRole} every connection acts as, or null for the login itself
 * @param direct PostgreSQL itself when {@code jdbcUrl} is a pooler in transaction mode (PgBouncer),
 *     for what needs a session of its own: LISTEN, migrations, the owner's VACUUM; null when {@code
 *     jdbcUrl} is PostgreSQL itself
 */
public record DatabaseConfig(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSize,
    String poolName,
    DatabaseRole role,
    DatabaseConfig direct) {

  public static final int DEFAULT_MAX_POOL_SIZE = 10;

  public DatabaseConfig {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new InvalidConfigurationException(
          "database URL must start with jdbc:postgresql: (got " + jdbcUrl + ")");
    }
    if (maxPoolSize < 1) {
      throw new InvalidConfigurationException("maxPoolSize must be at least 1, got " + maxPoolSize);
    }
    if (poolName == null || poolName.isBlank()) {
      poolName = "podflow";
    }
    if (direct != null && direct.direct() != null) {
      throw new InvalidConfigurationException("the direct database URL cannot have one itself");
    }
  }

  /** A pool straight to PostgreSQL. */
  public DatabaseConfig(
      String jdbcUrl,
      String user,
      String password,
      int maxPoolSize,
      String poolName,
      DatabaseRole role) {
    this(jdbcUrl, user, password, maxPoolSize, poolName, role, null);
  }

  /** A pool of the login itself (no {@link DatabaseRole}). */
  public DatabaseConfig(
      String jdbcUrl, String user, String password, int maxPoolSize, String poolName) {
    this(jdbcUrl, user, password, maxPoolSize, poolName, null);
  }

  /** A copy that keeps the target, credentials and role but changes the pool's size and name. */
  public DatabaseConfig withPool(int size, String name) {
    return new DatabaseConfig(jdbcUrl, user, password, size, name, role, direct);
  }

  /** A copy whose connections act as {@code role} (null: as the login). */
  public DatabaseConfig withRole(DatabaseRole role) {
    return new DatabaseConfig(jdbcUrl, user, password, maxPoolSize, poolName, role, direct);
  }

  /**
   * A copy whose pool goes through a pooler in transaction mode at {@code jdbcUrl}, with {@code
   * direct} (its URL and credentials) for what needs a session.
   */
  public DatabaseConfig behindPooler(DatabaseConfig direct) {
    return new DatabaseConfig(jdbcUrl, user, password, maxPoolSize, poolName, role, direct);
  }

  /** True when the pool goes through a pooler in transaction mode. */
  public boolean pooled() {
    return direct != null;
  }

  /** This pool's settings straight to PostgreSQL: itself when it is not {@link #pooled()}. */
  public DatabaseConfig session() {
    if (direct == null) return this;
    return new DatabaseConfig(
        direct.jdbcUrl, direct.user, direct.password, maxPoolSize, poolName, role, null);
  }

  /**
   * Reads a URL in either form operators use: {@code postgres://user:pass@host:port/db?params}
   * (also {@code postgresql://}) or {@code jdbc:postgresql://host:port/db?user=…}.
   */
  public static DatabaseConfig fromUrl(String url) {
    return fromUrl(url, "DATABASE_URL");
  }

  /** {@link #fromUrl(String)}, naming {@code variable} in its errors. */
  public static DatabaseConfig fromUrl(String url, String variable) {
    if (url == null || url.isBlank()) {
      throw new InvalidConfigurationException(
          variable + " is empty: set it to postgres://user:password@host:5432/database");
    }
    String trimmed = url.trim();
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return new DatabaseConfig(trimmed, null, null, DEFAULT_MAX_POOL_SIZE, "podflow");
    }
    if (!trimmed.startsWith("postgres://") && !trimmed.startsWith("postgresql://")) {
      throw new InvalidConfigurationException(
          variable
              + " must look like postgres://user:password@host:5432/database or"
              + " jdbc:postgresql://host:5432/database (got a URL starting with '"
              + trimmed.substring(0, Math.min(trimmed.length(), 12))
              + "')");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(variable + " is not a valid URL: " + e.getMessage());
    }
    if (uri.getHost() == null) {
      throw new InvalidConfigurationException(variable + " names no host: " + redact(trimmed));
    }
    String database =
        uri.getRawPath() == null || uri.getRawPath().length() <= 1
            ? "postgres"
            : uri.getRawPath().substring(1);
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String jdbc =
        "jdbc:postgresql://"
            + uri.getHost()
            + ":"
            + port
            + "/"
            + database
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    return new DatabaseConfig(jdbc, user, password, DEFAULT_MAX_POOL_SIZE, "podflow");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password hidden, for logs and error messages. */
  public static String redact(String url) {
    return url.replaceAll("(://[^:/@]+):[^@]*@", "$1:***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return "DatabaseConfig["
        + redact(jdbcUrl)
        + ", user="
        + user
        + ", pool="
        + poolName
        + "/"
        + maxPoolSize
        + (role == null ? "" : ", role=" + role.sqlName())
        + (direct == null ? "" : ", pooled, direct=" + redact(direct.jdbcUrl))
        + "]";
  }
}
