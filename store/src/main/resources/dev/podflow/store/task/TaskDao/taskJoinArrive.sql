-- Another branch arrives at a waiting join: its output joins the input, under its activity id.
UPDATE todolist
SET input = input || :arrival
WHERE id = :id
  AND status = 'WAITING'
  AND waiting_for = 'JOIN'
