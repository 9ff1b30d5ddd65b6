-- The events timeline is append-only and written only in the transactions that change its
-- instance and task, so its foreign keys guarded nothing those transactions do not already
-- guarantee, at a price paid on every event: a lookup of the instance row and of the task row, each
-- taking a row lock (written to the WAL) on a row the same transaction usually holds already. With
-- three events per task this was the largest avoidable cost of the queue drain (pg_stat_statements:
-- 120k foreign-key lookups per 20k tasks). The pruner still deletes an instance's events with it.
ALTER TABLE events DROP CONSTRAINT events_proc_inst_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_task_id_fkey;

-- It served only that foreign key (deleting a task looked up its events); every reader of events
-- goes by instance (events_proc_inst).
DROP INDEX events_task;
