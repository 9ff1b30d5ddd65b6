INSERT INTO api_keys (id, secret_hash, tenant_id, role, user_name, expires_at)
VALUES (:id, :secretHash, :tenantId, :role, :user, :expiresAt)
RETURNING id, tenant_id, role, user_name, created_at, expires_at, revoked_at
