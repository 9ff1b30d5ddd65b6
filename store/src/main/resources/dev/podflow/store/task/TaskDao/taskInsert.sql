INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, priority, max_attempts, input)
VALUES (:procInstId, :activityId, :orchestrator, :priority, :maxAttempts, :input)
RETURNING id
