-- Reads a task and locks its row when it is WAITING for :waitingFor; no row (and no lock) when it
-- is not, or no longer once the lock was granted.
SELECT *
FROM todolist
WHERE id = :id
  AND status = 'WAITING'
  AND waiting_for = :waitingFor
FOR UPDATE
