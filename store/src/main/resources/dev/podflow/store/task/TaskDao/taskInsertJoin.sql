-- The first branch to arrive at a join creates its task (one per pass), WAITING for the others.
INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, priority, max_attempts, input,
                      pass, status, waiting_for)
VALUES (:procInstId, :activityId, :orchestrator, :priority, :maxAttempts, :input,
        :pass, 'WAITING', 'JOIN')
RETURNING id
