-- A page of one tenant's agents, newest first by (created_at, id), after the cursor's position (the
-- first page starts at 'infinity', as in InstanceDao/instanceList.sql). Served by
-- agents_tenant_created (V13) in this order.
SELECT id, name, persona, instructions, model, tools, orchestrator, a2a, memory, created_at, updated_at
FROM agents
WHERE tenant_id = :tenantId
  AND (created_at, id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS text))
ORDER BY created_at DESC, id DESC
LIMIT :limit
