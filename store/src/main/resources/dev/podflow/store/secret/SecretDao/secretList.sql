-- A page of one tenant's secrets, names and times only, newest first by (created_at, name), after
-- the cursor's position (the first page starts at 'infinity', as in AgentDao/agentList.sql).
-- Served by tenant_secrets_tenant_created (V16) in this order.
SELECT name, created_at, updated_at
FROM tenant_secrets
WHERE tenant_id = :tenantId
  AND (created_at, name) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterName AS text))
ORDER BY created_at DESC, name DESC
LIMIT :limit
