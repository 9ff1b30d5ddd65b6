-- One secret of one tenant, name and times only: what PUT /api/v1/secrets/{name} answers.
SELECT name, created_at, updated_at
FROM tenant_secrets
WHERE tenant_id = :tenantId
  AND name = :name
