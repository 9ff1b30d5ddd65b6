INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, priority, max_attempts, input,
                      parent_task_id, pass)
VALUES (:procInstId, (SELECT tenant_id FROM bpm_proc_inst WHERE id = :procInstId), :activityId, :orchestrator, :priority, :maxAttempts, :input,
        :parentTaskId, :pass)
RETURNING id
