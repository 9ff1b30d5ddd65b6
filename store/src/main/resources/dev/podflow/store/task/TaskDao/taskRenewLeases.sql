-- One heartbeat for all of a pod's claims: extends the lease of each claim still held (parallel
-- arrays of task ids and claim tokens) and returns the ids it extended.
--
-- A row another transaction holds is skipped, not waited for: it is the pod's own completion
-- committing it (or a cancel or rescue taking it), and a heartbeat that waited for one row while
-- holding others could deadlock with that transaction, which locks the same rows in another order.
-- The caller asks about skipped rows separately (taskClaimHeld).
UPDATE todolist
SET heartbeat_at = now(),
    lease_expires_at = now() + make_interval(secs => :leaseSeconds)
WHERE id = ANY (ARRAY(
    SELECT t.id
    FROM todolist t
    JOIN unnest(CAST(:ids AS bigint[]), CAST(:claimTokens AS uuid[])) AS held(id, claim_token)
      ON t.id = held.id AND t.claim_token = held.claim_token
    WHERE t.status = 'IN_PROGRESS'
    FOR UPDATE OF t SKIP LOCKED
))
RETURNING id
