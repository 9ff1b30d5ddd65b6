-- A WAITING task whose wait can no longer end well (its sub-process failed) is DEAD.
UPDATE todolist
SET status = 'DEAD',
    last_error = :error,
    finished_at = now()
WHERE id = :id
  AND status = 'WAITING'
RETURNING *
