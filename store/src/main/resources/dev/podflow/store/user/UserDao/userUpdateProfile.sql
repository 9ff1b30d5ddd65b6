-- Sets what the request gave (:setEmail, :setDisplayName), keeping the rest.
UPDATE users
SET email = CASE WHEN :setEmail THEN CAST(:email AS text) ELSE email END,
    display_name = CASE WHEN :setDisplayName THEN CAST(:displayName AS text) ELSE display_name END,
    updated_at = now()
WHERE tenant_id = :tenantId
  AND id = :userId
RETURNING id, roles, email, display_name, created_at, updated_at
