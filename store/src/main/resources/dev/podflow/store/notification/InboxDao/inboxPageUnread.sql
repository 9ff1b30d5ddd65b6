-- Served by the partial index notifications_unread, whose predicate this repeats.
SELECT id, type, title, body, payload, proc_inst_id, task_id, status, read_at, created_at
FROM notifications
WHERE tenant_id = :tenantId
  AND recipient = :userId
  AND read_at IS NULL
  AND id < :beforeId
ORDER BY id DESC
LIMIT :limit
