-- A person's answer: a WAITING task becomes DONE with the answer as its output.
UPDATE todolist
SET status = 'DONE',
    output = :output,
    finished_at = now()
WHERE id = :id
  AND status = 'WAITING'
RETURNING *
