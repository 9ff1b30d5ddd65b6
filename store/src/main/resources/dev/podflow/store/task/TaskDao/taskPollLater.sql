-- Hands a claimed task back to run again after :delaySeconds without counting the attempt, keeping
-- the orchestrator's state in its checkpoint and the hash of its wake token (a step waiting for
-- something outside, such as an A2A peer's task: the pod's slot is free meanwhile, and the token's
-- holder may make the task due sooner, see V18). A wake that came while the step ran (V21) makes
-- it due at once. Fenced like every write that ends a claim.
UPDATE todolist
SET status = 'PENDING',
    attempts = greatest(attempts - 1, 0),
    claim_token = NULL,
    lease_expires_at = NULL,
    run_after = CASE WHEN wake_requested AND wake_token_hash = :wakeTokenHash THEN now()
                     ELSE now() + make_interval(secs => :delaySeconds) END,
    wake_requested = false,
    checkpoint = :checkpoint,
    wake_token_hash = :wakeTokenHash
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
