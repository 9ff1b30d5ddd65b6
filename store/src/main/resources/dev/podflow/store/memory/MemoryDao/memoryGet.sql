SELECT id, agent_id, user_id, definition_id, source, content, task_id, created_by,
       embedding IS NOT NULL AS embedded, created_at, updated_at
FROM memories
WHERE tenant_id = :tenantId
  AND agent_id = :agentId
  AND id = :id
