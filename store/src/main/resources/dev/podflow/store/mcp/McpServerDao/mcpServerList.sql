-- A page of one tenant's MCP servers, newest first by (created_at, name), after the cursor's
-- position (the first page starts at 'infinity', as in AgentDao/agentList.sql). Served by
-- mcp_servers_tenant_created (V16) in this order.
SELECT name, command, args, env, url, headers, enabled, created_by, created_at, updated_at
FROM mcp_servers
WHERE tenant_id = :tenantId
  AND (created_at, name) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterName AS text))
ORDER BY created_at DESC, name DESC
LIMIT :limit
