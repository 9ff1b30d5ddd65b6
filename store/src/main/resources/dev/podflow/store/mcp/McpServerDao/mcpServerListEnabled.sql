-- The servers a pod offers a step of this tenant. A tenant has a handful: its primary key's range
-- (tenant_id, name) serves them in name order.
SELECT name, command, args, env, url, headers, enabled, created_by, created_at, updated_at
FROM mcp_servers
WHERE tenant_id = :tenantId
  AND enabled
ORDER BY name
