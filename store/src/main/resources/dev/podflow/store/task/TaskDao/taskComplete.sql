-- Not run by the pods (they claim with taskClaimNextWithInstance.sql and complete with
-- taskCompleteLockInstance.sql): the bare statement of the claim -> complete cycle, which bench/
-- drives with pgbench as the database's own limit.
UPDATE todolist
SET status = 'DONE',
    output = :output,
    finished_at = now(),
    lease_expires_at = NULL
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
