-- Hands a claimed task back without counting the attempt (graceful shutdown).
UPDATE todolist
SET status = 'PENDING',
    attempts = greatest(attempts - 1, 0),
    claim_token = NULL,
    lease_expires_at = NULL,
    run_after = now()
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
