-- Served by notifications_recipient (tenant_id, recipient, id DESC).
SELECT id, type, title, body, payload, proc_inst_id, task_id, status, read_at, created_at
FROM notifications
WHERE tenant_id = :tenantId
  AND recipient = :userId
  AND id < :beforeId
ORDER BY id DESC
LIMIT :limit
