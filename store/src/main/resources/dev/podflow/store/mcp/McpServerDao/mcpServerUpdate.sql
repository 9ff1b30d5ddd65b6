UPDATE mcp_servers
SET command    = :command,
    args       = CAST(:args AS jsonb),
    env        = CAST(:env AS jsonb),
    url        = :url,
    headers    = CAST(:headers AS jsonb),
    enabled    = :enabled,
    updated_at = now()
WHERE tenant_id = :tenantId
  AND name = :name
RETURNING name, command, args, env, url, headers, enabled, created_by, created_at, updated_at
