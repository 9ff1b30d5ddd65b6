-- Reads a task a person may answer and locks it until the transaction ends, so two answers to one
-- task serialize: the second sees the first one's DONE.
SELECT *
FROM todolist
WHERE id = :id
FOR UPDATE
