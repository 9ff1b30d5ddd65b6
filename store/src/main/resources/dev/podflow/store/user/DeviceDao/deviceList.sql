SELECT token, platform, created_at, retired_at, retired_reason, last_sent_at
FROM device_tokens
WHERE tenant_id = :tenantId
  AND recipient = :userId
ORDER BY created_at DESC, token
