SELECT id, name, persona, instructions, model, tools, orchestrator, created_at, updated_at
FROM agents
WHERE id = :id
