SELECT id, tenant_id, role, user_name, created_at, expires_at, revoked_at
FROM api_keys
WHERE id = :id
