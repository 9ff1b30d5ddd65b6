-- The whole token, or the last 8 characters the API shows of it (DeviceDao.TOKEN_END).
DELETE FROM device_tokens
WHERE tenant_id = :tenantId
  AND recipient = :userId
  AND (token = :token OR (length(:token) = 8 AND right(token, 8) = :token))
RETURNING token, platform, created_at, retired_at, retired_reason, last_sent_at
