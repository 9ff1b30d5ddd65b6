SELECT id, name, persona, instructions, model, tools, orchestrator, a2a, memory, created_at, updated_at
FROM agents
WHERE tenant_id = :tenantId
  AND id = :id
