-- The database's own limit, as pgbench drives it (see PgbenchLimit): the bare claim of one task
-- by one worker, as in the store's HotSql/taskClaim.sql but without events, instance or
-- successors. Keep it in step with that statement.
-- The claim: one statement. The subquery locks the most urgent due row that no other
-- transaction holds (SKIP LOCKED), served by the partial index todolist_claimable;
-- the UPDATE takes it with a fresh claim token and lease.
UPDATE todolist
SET status = 'IN_PROGRESS',
    claimed_by = :podId,
    claim_token = gen_random_uuid(),
    attempts = attempts + 1,
    started_at = now(),
    heartbeat_at = now(),
    lease_expires_at = now() + make_interval(secs => :leaseSeconds)
WHERE id = (
    SELECT id
    FROM todolist
    WHERE status IN ('PENDING', 'FAILED')
      AND run_after <= now()
    ORDER BY priority, run_after, id
    FOR UPDATE SKIP LOCKED
    LIMIT 1
)
RETURNING *
