-- A user's memory applies to the whole agent from now on (a no-op for a whole-agent one).
UPDATE memories
SET user_id = NULL,
    updated_at = now()
WHERE tenant_id = :tenantId
  AND agent_id = :agentId
  AND id = :id
RETURNING id, agent_id, user_id, definition_id, source, content, task_id, created_by,
          embedding IS NOT NULL AS embedded, created_at, updated_at
