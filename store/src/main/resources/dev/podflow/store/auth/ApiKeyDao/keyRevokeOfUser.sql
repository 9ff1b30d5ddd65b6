-- Revokes every key of one user of a tenant that is not revoked yet; the keys it revoked.
UPDATE api_keys
SET revoked_at = now()
WHERE tenant_id = :tenantId
  AND user_name = :user
  AND revoked_at IS NULL
RETURNING id, tenant_id, role, user_name, created_at, expires_at, revoked_at
