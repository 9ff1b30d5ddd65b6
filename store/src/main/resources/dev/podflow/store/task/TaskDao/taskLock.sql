-- Reads a task and locks its row until the transaction ends.
SELECT *
FROM todolist
WHERE id = :id
FOR UPDATE
