-- Enqueues a task with its task_queued event (its pass named from the second on); returns the
-- task's id. No NOTIFY here: the caller wakes the pods after the commit (see Notifier).
WITH queued AS (
    INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, priority, max_attempts, input, parent_task_id, pass)
    VALUES (:procInstId, (SELECT tenant_id FROM bpm_proc_inst WHERE id = :procInstId), :activityId, :orchestrator, :priority, :maxAttempts, :input, :parentTaskId, :pass)
    RETURNING id, proc_inst_id, tenant_id, activity_id, orchestrator, pass
), event AS (
    INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
    SELECT proc_inst_id, tenant_id, id, 'task_queued',
           jsonb_build_object('activityId', activity_id, 'orchestrator', orchestrator)
               || CASE WHEN pass > 1 THEN jsonb_build_object('pass', pass) ELSE '{}' END
    FROM queued
)
SELECT id FROM queued
