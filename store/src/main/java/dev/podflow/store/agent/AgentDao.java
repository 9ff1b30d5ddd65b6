package dev.podflow.store.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Agent profiles ({@code agents}), each of one tenant: every statement names the tenant, and an id
 * names a profile within it. SQL lives in {@code AgentDao/*.sql}.
 */
public interface AgentDao {

  /**
   * Inserts the agent into {@code tenantId} or replaces every field of the tenant's one with its id
   * (keeping {@code created_at}); true when the row was inserted.
   */
  @SqlQuery
  boolean agentUpsert(
      @Bind("tenantId") String tenantId,
      @Bind("id") String id,
      @Bind("name") String name,
      @Bind("persona") String persona,
      @Bind("instructions") String instructions,
      @Bind("model") String model,
      @Bind("tools") JsonNode tools,
      @Bind("orchestrator") String orchestrator,
      @Bind("a2a") JsonNode a2a,
      @Bind("memory") JsonNode memory);

  @SqlQuery
  Optional<Agent> agentGet(@Bind("tenantId") String tenantId, @Bind("id") String id);

  /**
   * Up to {@code limit} of {@code tenantId}'s agents, newest first by {@code (created_at, id)}:
   * after the position {@code (afterCreatedAt, afterId)}, or from the newest when {@code
   * afterCreatedAt} is null.
   */
  @SqlQuery
  List<Agent> agentList(
      @Bind("tenantId") String tenantId,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterId") String afterId,
      @Bind("limit") int limit);
}
