SELECT count(*)
FROM device_tokens
WHERE tenant_id = :tenantId
  AND recipient = :userId
  AND retired_at IS NULL
  AND token <> :token
