-- A WAITING task runs again (its question answered, its child tasks done): PENDING and due now,
-- with fresh attempts for the part of its work that follows, and the checkpoint it will read.
UPDATE todolist
SET status = 'PENDING',
    attempts = 0,
    run_after = now(),
    checkpoint = :checkpoint,
    claimed_by = NULL,
    lease_expires_at = NULL
WHERE id = :id
  AND status = 'WAITING'
RETURNING *
