-- The inbox of one tenant: tasks WAITING for a person, after the given id, of one assignee or
-- (assignee null) of everyone, oldest first. Served by todolist_inbox or todolist_waiting; the
-- tenant is checked on each task's instance (a primary key probe).
SELECT t.*
FROM todolist t
WHERE t.status = 'WAITING'
  AND t.waiting_for IN ('PERSON', 'ANSWER')
  AND (CAST(:assignee AS text) IS NULL OR t.assignee = :assignee)
  AND t.id > :afterId
  AND EXISTS (SELECT 1 FROM bpm_proc_inst i WHERE i.id = t.proc_inst_id AND i.tenant_id = :tenantId)
ORDER BY t.id
LIMIT :limit
