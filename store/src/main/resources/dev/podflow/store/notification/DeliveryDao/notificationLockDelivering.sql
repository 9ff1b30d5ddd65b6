-- Locks the DELIVERING notifications among :ids, in id order (so two notifiers settling overlapping
-- sets never deadlock), until the transaction ends: settling reads their deliveries only after
-- this statement, so it sees every delivery recorded by a transaction that held the lock before.
SELECT id
FROM notifications
WHERE id = ANY (CAST(:ids AS bigint[]))
  AND status = 'DELIVERING'
ORDER BY id
FOR UPDATE
