-- A page of one agent's memories, newest first by (created_at, id), after the cursor's position
-- (the first page starts at 'infinity', as in AgentDao/agentList.sql). :everyUser lists every
-- user's; else the whole agent's (user_id null) and :userId's own.
SELECT id, agent_id, user_id, definition_id, source, content, task_id, created_by,
       embedding IS NOT NULL AS embedded, created_at, updated_at
FROM memories
WHERE tenant_id = :tenantId
  AND agent_id = :agentId
  AND (:everyUser OR user_id IS NULL OR user_id = CAST(:userId AS text))
  AND (created_at, id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS bigint))
ORDER BY created_at DESC, id DESC
LIMIT :limit
