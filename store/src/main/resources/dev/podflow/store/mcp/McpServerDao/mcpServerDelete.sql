DELETE FROM mcp_servers
WHERE tenant_id = :tenantId
  AND name = :name
