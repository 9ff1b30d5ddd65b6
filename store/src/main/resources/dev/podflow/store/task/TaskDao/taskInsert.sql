INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, priority, max_attempts, input,
                      parent_task_id, pass)
VALUES (:procInstId, :activityId, :orchestrator, :priority, :maxAttempts, :input,
        :parentTaskId, :pass)
RETURNING id
