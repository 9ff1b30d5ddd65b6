-- Whether a recall for this agent and user could find anything (saves embedding the query).
SELECT EXISTS (
    SELECT 1
    FROM memories
    WHERE tenant_id = :tenantId
      AND agent_id = :agentId
      AND (user_id IS NULL OR user_id = :userId)
      AND source = ANY (CAST(:sources AS text[]))
      AND embedding IS NOT NULL)
