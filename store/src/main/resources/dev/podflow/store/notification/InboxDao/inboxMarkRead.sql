-- Idempotent: the first read's time stays.
UPDATE notifications
SET read_at = coalesce(read_at, now())
WHERE tenant_id = :tenantId
  AND recipient = :userId
  AND id = :id
RETURNING id, type, title, body, payload, proc_inst_id, task_id, status, read_at, created_at
