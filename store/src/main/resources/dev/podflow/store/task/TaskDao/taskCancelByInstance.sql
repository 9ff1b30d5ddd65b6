-- Cancels every task of the instance that may still run. Running ones lose their claim token and
-- lease, so the pod running them can write nothing more (every claim-ending write is fenced).
-- The CTE locks the rows and keeps their status from before, which tells the caller which pods to
-- tell; it runs in a fresh snapshot, so tasks queued just before the instance lock are included.
WITH target AS (
    SELECT id, status
    FROM todolist
    WHERE proc_inst_id = :procInstId
      AND status IN ('PENDING', 'FAILED', 'WAITING', 'IN_PROGRESS')
    ORDER BY id
    FOR UPDATE
)
UPDATE todolist t
SET status = 'CANCELLED',
    claim_token = NULL,
    lease_expires_at = NULL,
    finished_at = now()
FROM target
WHERE t.id = target.id
RETURNING t.id,
          t.proc_inst_id,
          t.activity_id,
          t.claimed_by,
          target.status AS previous_status
