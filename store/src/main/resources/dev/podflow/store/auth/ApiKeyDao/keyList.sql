-- Every key, newest first, without secrets.
SELECT id, tenant_id, role, user_name, created_at, expires_at, revoked_at
FROM api_keys
ORDER BY created_at DESC, id
