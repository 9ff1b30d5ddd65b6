-- Nothing is returned when the tenant has a server of that name already: the caller answers 409.
INSERT INTO mcp_servers (tenant_id, name, command, args, env, url, headers, enabled, created_by)
VALUES (:tenantId, :name, :command, CAST(:args AS jsonb), CAST(:env AS jsonb), :url,
        CAST(:headers AS jsonb), :enabled, :createdBy)
ON CONFLICT (tenant_id, name) DO NOTHING
RETURNING name, command, args, env, url, headers, enabled, created_by, created_at, updated_at
