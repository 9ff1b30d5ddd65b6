-- A pass that may not run (its activity reached maxPasses): the row is written DEAD with the
-- reason, so the instance's failure names it and a retry by hand can run it after all.
INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, priority, max_attempts, input,
                      pass, status, last_error, finished_at)
VALUES (:procInstId, (SELECT tenant_id FROM bpm_proc_inst WHERE id = :procInstId), :activityId, :orchestrator, :priority, :maxAttempts, :input,
        :pass, 'DEAD', :error, now())
RETURNING *
