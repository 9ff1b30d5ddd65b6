-- Tells the pods that a running task was cancelled (payload: the task id), so the one running it
-- stops at once instead of at its next heartbeat; delivered when the transaction commits.
SELECT pg_notify('podflow_cancel', CAST(:taskId AS text))::text
