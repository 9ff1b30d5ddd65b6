-- Claims due webhooks whose process's A2A state differs from the last one delivered (ProcessAsTask
-- names the states); each is not due again for a minute unless settled. At most 12 attempts a
-- state: after that the webhook waits until the process changes again.
WITH current AS (
    SELECT c.id,
           i.status,
           i.output,
           i.finished_at,
           w.activity_id AS waiting_step,
           CASE i.status
               WHEN 'COMPLETED' THEN 'completed'
               WHEN 'ERROR' THEN 'failed'
               WHEN 'CANCELLED' THEN 'canceled'
               ELSE CASE WHEN w.activity_id IS NULL THEN 'working' ELSE 'input-required' END
           END AS state
    FROM a2a_push_configs c
    JOIN bpm_proc_inst i ON i.id = c.proc_inst_id
    LEFT JOIN LATERAL (
        SELECT t.activity_id
        FROM todolist t
        WHERE t.proc_inst_id = i.id
          AND t.status = 'WAITING'
          AND t.waiting_for IN ('PERSON', 'ANSWER', 'APPROVAL')
        ORDER BY t.id
        LIMIT 1) w ON true
    WHERE c.next_attempt_at <= now()
),
due AS (
    SELECT c.id
    FROM a2a_push_configs c
    JOIN current ON current.id = c.id
    WHERE c.delivered_state IS DISTINCT FROM current.state
      AND c.attempts < 12
    ORDER BY c.next_attempt_at, c.id
    LIMIT :limit
    FOR UPDATE OF c SKIP LOCKED
)
UPDATE a2a_push_configs c
SET attempts = c.attempts + 1,
    next_attempt_at = now() + interval '60 seconds'
FROM due, current
WHERE c.id = due.id
  AND current.id = due.id
RETURNING c.id, c.url, c.token, c.proc_inst_id, current.status, current.output,
          current.finished_at, current.waiting_step, c.attempts
