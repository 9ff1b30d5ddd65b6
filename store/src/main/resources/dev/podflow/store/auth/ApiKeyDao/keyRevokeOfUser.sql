-- Revokes every key of one user of a tenant that is not revoked yet; how many were.
UPDATE api_keys
SET revoked_at = now()
WHERE tenant_id = :tenantId
  AND user_name = :user
  AND revoked_at IS NULL
