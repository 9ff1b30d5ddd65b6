-- Counts the instance's tasks a pod may run now or later (queued, retrying or running): when none
-- is left but some still wait for a person, the instance is WAITING.
SELECT count(*)
FROM todolist
WHERE proc_inst_id = :procInstId
  AND status IN ('PENDING', 'FAILED', 'IN_PROGRESS')
