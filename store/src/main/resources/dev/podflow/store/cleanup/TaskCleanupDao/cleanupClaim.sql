-- Claims due cleanups: each counts an attempt and is not due again until the lease ends.
WITH due AS (
    SELECT id
    FROM task_cleanups
    WHERE finished_at IS NULL
      AND next_attempt_at <= now()
    ORDER BY next_attempt_at, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
UPDATE task_cleanups c
SET attempts = c.attempts + 1,
    next_attempt_at = now() + make_interval(secs => :leaseSeconds)
FROM due
WHERE c.id = due.id
RETURNING c.id, c.tenant_id, c.task_id, c.orchestrator, c.payload, c.attempts
