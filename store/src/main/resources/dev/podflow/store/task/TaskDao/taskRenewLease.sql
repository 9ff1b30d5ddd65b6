UPDATE todolist
SET heartbeat_at = now(),
    lease_expires_at = now() + make_interval(secs => :leaseSeconds)
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
