-- The inbox of one tenant: tasks WAITING for a person, of one assignee or (assignee null) of
-- everyone, newest first by (created_at, id), after the cursor's position (:afterCreatedAt,
-- :afterId; the first page starts at 'infinity', as in InstanceDao/instanceList.sql). Served by
-- todolist_inbox or todolist_waiting (V12) in this order; the tenant is checked on each task's
-- instance (a primary key probe).
SELECT t.*
FROM todolist t
WHERE t.status = 'WAITING'
  AND t.waiting_for IN ('PERSON', 'ANSWER', 'APPROVAL')
  AND (CAST(:assignee AS text) IS NULL OR t.assignee = :assignee)
  AND (t.created_at, t.id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS bigint))
  AND EXISTS (SELECT 1 FROM bpm_proc_inst i WHERE i.id = t.proc_inst_id AND i.tenant_id = :tenantId)
ORDER BY t.created_at DESC, t.id DESC
LIMIT :limit
