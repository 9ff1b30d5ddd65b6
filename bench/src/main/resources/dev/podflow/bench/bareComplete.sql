-- The database's own limit, as pgbench drives it (see PgbenchLimit): the bare completion of one task
-- by one worker, as in the store's HotSql/taskComplete.sql but without events, instance or
-- successors. Keep it in step with that statement.
UPDATE todolist
SET status = 'DONE',
    output = :output,
    finished_at = now(),
    lease_expires_at = NULL
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
