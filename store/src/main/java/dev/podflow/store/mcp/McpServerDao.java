package dev.podflow.store.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The MCP server registry ({@code mcp_servers}, V16), each server of one tenant: every statement
 * names the tenant, and a name names a server within it. The API manages a tenant's servers as
 * {@code podflow_api}; pods read the enabled ones of a step's tenant ({@link
 * #mcpServerListEnabled}) as {@code podflow_pod}, which may read but not change them. SQL lives in
 * {@code McpServerDao/*.sql}. A jdbi SQL object: attach it to a handle (or use {@code
 * Jdbi#withExtension}); it holds no state of its own.
 */
public interface McpServerDao {

  /**
   * Up to {@code limit} of {@code tenantId}'s servers, newest first by {@code (created_at, name)}:
   * after the position {@code (afterCreatedAt, afterName)}, or from the newest when {@code
   * afterCreatedAt} is null.
   */
  @SqlQuery
  List<McpServer> mcpServerList(
      @Bind("tenantId") String tenantId,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterName") String afterName,
      @Bind("limit") int limit);

  /**
   * Every enabled server of {@code tenantId}, by name: what a pod offers a step's agent, read when
   * the step runs (a server disabled or deleted since is not offered again).
   */
  @SqlQuery
  List<McpServer> mcpServerListEnabled(@Bind("tenantId") String tenantId);

  @SqlQuery
  Optional<McpServer> mcpServerGet(@Bind("tenantId") String tenantId, @Bind("name") String name);

  /** {@link #mcpServerGet}, locking the row until the transaction ends (before an update). */
  @SqlQuery
  Optional<McpServer> mcpServerGetForUpdate(
      @Bind("tenantId") String tenantId, @Bind("name") String name);

  /**
   * Inserts the server into {@code tenantId}; empty when the tenant already has one of that name
   * (nothing is changed then). A stdio server gives {@code command}, {@code args} and {@code env}
   * with {@code url} and {@code headers} null; an HTTP one the reverse.
   */
  @SqlQuery
  Optional<McpServer> mcpServerInsert(
      @Bind("tenantId") String tenantId,
      @Bind("name") String name,
      @Bind("command") String command,
      @Bind("args") JsonNode args,
      @Bind("env") JsonNode env,
      @Bind("url") String url,
      @Bind("headers") JsonNode headers,
      @Bind("enabled") boolean enabled,
      @Bind("createdBy") String createdBy);

  /**
   * Replaces every field of the tenant's server {@code name} but its name, creator and creation
   * time, and sets {@code updated_at}; empty when there is none.
   */
  @SqlQuery
  Optional<McpServer> mcpServerUpdate(
      @Bind("tenantId") String tenantId,
      @Bind("name") String name,
      @Bind("command") String command,
      @Bind("args") JsonNode args,
      @Bind("env") JsonNode env,
      @Bind("url") String url,
      @Bind("headers") JsonNode headers,
      @Bind("enabled") boolean enabled);

  /** Deletes the tenant's server {@code name}; false when there was none. */
  @SqlUpdate
  boolean mcpServerDelete(@Bind("tenantId") String tenantId, @Bind("name") String name);
}
