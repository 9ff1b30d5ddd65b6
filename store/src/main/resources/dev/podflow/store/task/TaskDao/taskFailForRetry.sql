UPDATE todolist
SET status = 'FAILED',
    last_error = :error,
    run_after = now() + make_interval(secs => :retryDelaySeconds),
    lease_expires_at = NULL
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
