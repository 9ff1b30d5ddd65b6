-- Revokes a key that is not revoked yet; the key as it is now, or no row when there is no such key.
-- Revoking twice keeps the first revocation's time.
UPDATE api_keys
SET revoked_at = coalesce(revoked_at, now())
WHERE id = :id
RETURNING id, tenant_id, role, user_name, created_at, expires_at, revoked_at
