INSERT INTO agents (tenant_id, id, name, persona, instructions, model, tools, orchestrator, a2a, memory)
VALUES (:tenantId, :id, :name, :persona, :instructions, :model, :tools, :orchestrator, :a2a, :memory)
ON CONFLICT (tenant_id, id) DO UPDATE
SET name         = excluded.name,
    persona      = excluded.persona,
    instructions = excluded.instructions,
    model        = excluded.model,
    tools        = excluded.tools,
    orchestrator = excluded.orchestrator,
    a2a          = excluded.a2a,
    memory       = excluded.memory,
    updated_at   = now()
RETURNING (xmax = 0) AS inserted
