-- One batch: the oldest finished instances past the retention, and every row that belongs to them.
-- Foreign keys are checked at the end of the statement, when all four deletes are done.
-- audit_log (V14) is not instance data and is never deleted here: it has its own retention.
WITH doomed AS (
    SELECT id
    FROM bpm_proc_inst
    WHERE finished_at < now() - make_interval(secs => :retentionSeconds)
      AND status IN ('COMPLETED', 'ERROR', 'CANCELLED')
    ORDER BY finished_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
),
gone_events AS (
    DELETE FROM events WHERE proc_inst_id IN (SELECT id FROM doomed)
),
gone_notifications AS (
    DELETE FROM notifications WHERE proc_inst_id IN (SELECT id FROM doomed)
),
gone_tasks AS (
    DELETE FROM todolist WHERE proc_inst_id IN (SELECT id FROM doomed)
),
gone_instances AS (
    DELETE FROM bpm_proc_inst WHERE id IN (SELECT id FROM doomed) RETURNING id
)
SELECT count(*) FROM gone_instances
