-- The rescuer's index holds the rows with a lease (only running tasks have one: every transition
-- out of IN_PROGRESS clears it) instead of the rows whose status is IN_PROGRESS. The completion's
-- fence (id = ANY (...) AND status = 'IN_PROGRESS') matched the old predicate, and its generic plan
-- ANDed a scan of that whole index (every running task, and the entries of every task claimed
-- since the last vacuum) with the primary key: 36 index entries read per completion with 4 pods,
-- 154 with 16, since more pods keep more entries from being cleaned up. It is a primary key lookup
-- now. The rescuer's lease_expires_at < now() still implies this predicate.
DROP INDEX todolist_lease_expiry;
CREATE INDEX todolist_lease_expiry ON todolist (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
