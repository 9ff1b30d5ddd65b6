-- Retry by hand: the instance's DEAD tasks start over as new, with every attempt available again.
-- last_error stays as the record of why they died; claimed_by and started_at stay until the next
-- claim overwrites them.
UPDATE todolist
SET status = 'PENDING',
    attempts = 0,
    run_after = now(),
    finished_at = NULL,
    claim_token = NULL,
    lease_expires_at = NULL
WHERE proc_inst_id = :procInstId
  AND status = 'DEAD'
RETURNING *
