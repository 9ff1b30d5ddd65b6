-- Queues, in the cancel's transaction, what the cancelled tasks saved to undo outside.
INSERT INTO task_cleanups (tenant_id, task_id, orchestrator, payload)
SELECT t.tenant_id, t.id, t.orchestrator, t.checkpoint -> 'state' -> 'onCancel'
FROM todolist t
WHERE t.proc_inst_id = :procInstId
  AND t.id = ANY(:taskIds)
  AND jsonb_typeof(t.checkpoint -> 'state' -> 'onCancel') = 'object'
