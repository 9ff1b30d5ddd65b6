-- The instance's tasks that are not over: queued, running, retrying, waiting, or DEAD (a retry by
-- hand can bring those back). A join waits while any of them can still reach it.
SELECT *
FROM todolist
WHERE proc_inst_id = :procInstId
  AND status IN ('PENDING', 'IN_PROGRESS', 'FAILED', 'WAITING', 'DEAD')
ORDER BY id
