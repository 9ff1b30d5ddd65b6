SELECT coalesce(max(id), 0)
FROM notifications
WHERE tenant_id = :tenantId
  AND recipient = :userId
