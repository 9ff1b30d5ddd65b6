-- The first branch to arrive at a join creates its task, WAITING for the other branches.
INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, priority, max_attempts, input,
                      status, waiting_for)
VALUES (:procInstId, :activityId, :orchestrator, :priority, :maxAttempts, :input,
        'WAITING', 'JOIN')
RETURNING id
