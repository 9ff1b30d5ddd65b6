-- A key with its secret's hash, for checking a presented key (one primary key lookup).
SELECT id, tenant_id, role, user_name, created_at, expires_at, revoked_at, secret_hash
FROM api_keys
WHERE id = :id
