-- Locks every task of the instance, in id order, until the transaction ends. Instance commands
-- take these locks before the instance row, the lock order of every step transition.
SELECT id
FROM todolist
WHERE proc_inst_id = :procInstId
ORDER BY id
FOR UPDATE
