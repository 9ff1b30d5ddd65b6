-- The first branch to arrive at a join creates its task (one per pass), WAITING for the others.
INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, priority, max_attempts, input,
                      pass, status, waiting_for)
VALUES (:procInstId, (SELECT tenant_id FROM bpm_proc_inst WHERE id = :procInstId), :activityId, :orchestrator, :priority, :maxAttempts, :input,
        :pass, 'WAITING', 'JOIN')
RETURNING id
