SELECT ciphertext
FROM tenant_secrets
WHERE tenant_id = :tenantId
  AND name = :name
