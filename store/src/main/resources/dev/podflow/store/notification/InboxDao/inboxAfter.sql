SELECT id, type, title, body, payload, proc_inst_id, task_id, status, read_at, created_at
FROM notifications
WHERE tenant_id = :tenantId
  AND recipient = :userId
  AND id > :afterId
ORDER BY id
LIMIT :limit
