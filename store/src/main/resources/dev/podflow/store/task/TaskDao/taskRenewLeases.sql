-- One heartbeat for all of a pod's claims: extends the lease of each claim still held (parallel
-- arrays of task ids and claim tokens) and returns the ids it extended.
UPDATE todolist t
SET heartbeat_at = now(),
    lease_expires_at = now() + make_interval(secs => :leaseSeconds)
FROM unnest(CAST(:ids AS bigint[]), CAST(:claimTokens AS uuid[])) AS held(id, claim_token)
WHERE t.id = held.id
  AND t.claim_token = held.claim_token
  AND t.status = 'IN_PROGRESS'
RETURNING t.id
