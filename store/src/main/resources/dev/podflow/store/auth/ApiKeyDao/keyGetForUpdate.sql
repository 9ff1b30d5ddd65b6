-- The key with this id, locked until the transaction ends: a revocation reads whether the key is
-- still active under this lock, so of two revoking at once only the first records an audit entry.
SELECT id, tenant_id, role, user_name, created_at, expires_at, revoked_at
FROM api_keys
WHERE id = :id
FOR UPDATE
