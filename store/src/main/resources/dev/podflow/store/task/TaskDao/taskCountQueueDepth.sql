-- Unfinished tasks by orchestrator and status: the HPA's and the dashboard's queue depth.
SELECT orchestrator, status, count(*) AS tasks
FROM todolist
WHERE status IN ('PENDING', 'FAILED', 'IN_PROGRESS', 'WAITING')
GROUP BY orchestrator, status
