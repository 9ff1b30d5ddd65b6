-- Re-evaluates unfinished instances (locked by the caller) after some of their tasks changed, in
-- one statement: each COMPLETED with its output (and a process_completed event) when no task is
-- left, RUNNING while a pod has something to run (PENDING, FAILED, IN_PROGRESS), WAITING while
-- only people or other waits do. Writes only when the status changes; returns, per instance, the
-- status it settled on. :ids and :outputs are parallel arrays. No NOTIFY here: the caller sends it
-- after the commit (see Notifier).
WITH batch AS (
    SELECT *
    FROM unnest(CAST(:ids AS uuid[]), CAST(:outputs AS text[])) AS b(id, output)
), counts AS (
    SELECT batch.id, CAST(batch.output AS jsonb) AS output, c.unfinished, c.runnable
    FROM batch,
         LATERAL (
             SELECT count(*) FILTER (WHERE t.status NOT IN ('DONE', 'DEAD', 'CANCELLED')) AS unfinished,
                    count(*) FILTER (WHERE t.status IN ('PENDING', 'FAILED', 'IN_PROGRESS')) AS runnable
             FROM todolist t
             WHERE t.proc_inst_id = batch.id
         ) AS c
), next AS (
    SELECT id,
           output,
           CASE WHEN unfinished = 0 THEN 'COMPLETED'
                WHEN runnable > 0 THEN 'RUNNING'
                ELSE 'WAITING' END AS status
    FROM counts
), changed AS (
    UPDATE bpm_proc_inst i
    SET status = next.status,
        output = CASE WHEN next.status = 'COMPLETED' THEN next.output ELSE i.output END,
        finished_at = CASE WHEN next.status = 'COMPLETED' THEN now() END,
        updated_at = now()
    FROM next
    WHERE i.id = next.id
      AND i.status <> next.status
    RETURNING i.id, i.tenant_id, i.status, next.output
), event AS (
    INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
    SELECT id, tenant_id, NULL, 'process_completed', jsonb_build_object('output', output)
    FROM changed
    WHERE status = 'COMPLETED'
    ORDER BY id
)
SELECT id, status FROM next
