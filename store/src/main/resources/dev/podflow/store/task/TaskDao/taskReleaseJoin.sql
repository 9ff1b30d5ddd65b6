-- Every branch that could reach the join has arrived or ended: it runs.
UPDATE todolist
SET status = 'PENDING',
    run_after = now()
WHERE id = :id
  AND status = 'WAITING'
  AND waiting_for = 'JOIN'
