UPDATE todolist
SET status = 'DEAD',
    last_error = :error,
    finished_at = now(),
    lease_expires_at = NULL
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
