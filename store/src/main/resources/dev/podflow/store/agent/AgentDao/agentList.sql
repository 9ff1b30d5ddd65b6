-- A page of agents, newest first by (created_at, id), after the cursor's position (the first page
-- starts at 'infinity', as in InstanceDao/instanceList.sql). Served by agents_created (V12) in this
-- order. Agents are shared by all tenants for now: scoping them is one more line here,
-- AND tenant_id = :tenantId.
SELECT id, name, persona, instructions, model, tools, orchestrator, created_at, updated_at
FROM agents
WHERE (created_at, id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS text))
ORDER BY created_at DESC, id DESC
LIMIT :limit
