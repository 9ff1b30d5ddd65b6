-- Expired leases: the pod died, hung or lost the network. The claim token is cleared, so the
-- old holder's late writes are refused. Out of attempts means DEAD, not another try.
UPDATE todolist
SET status = CASE WHEN attempts >= max_attempts THEN 'DEAD' ELSE 'PENDING' END,
    claim_token = NULL,
    lease_expires_at = NULL,
    run_after = now(),
    finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
    last_error = 'lease expired while claimed by ' || coalesce(claimed_by, '?')
WHERE id IN (
    SELECT id
    FROM todolist
    WHERE status = 'IN_PROGRESS'
      AND lease_expires_at < now()
    ORDER BY lease_expires_at
    FOR UPDATE SKIP LOCKED
    LIMIT :limit
)
RETURNING *
