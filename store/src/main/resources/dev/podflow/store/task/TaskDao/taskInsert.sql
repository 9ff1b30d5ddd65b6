INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, priority, max_attempts, input, parent_task_id)
VALUES (:procInstId, :activityId, :orchestrator, :priority, :maxAttempts, :input, :parentTaskId)
RETURNING id
