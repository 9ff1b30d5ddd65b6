SELECT name, command, args, env, url, headers, enabled, created_by, created_at, updated_at
FROM mcp_servers
WHERE tenant_id = :tenantId
  AND name = :name
FOR UPDATE
