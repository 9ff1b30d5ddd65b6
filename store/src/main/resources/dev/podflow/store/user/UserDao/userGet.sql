SELECT id, roles, email, display_name, created_at, updated_at
FROM users
WHERE tenant_id = :tenantId
  AND id = :userId
