-- Re-evaluates an unfinished instance (locked by the caller) after one of its tasks changed, in
-- one statement: COMPLETED with :output (and a process_completed event) when no task is left,
-- RUNNING while a pod has something to run (PENDING, FAILED, IN_PROGRESS), WAITING while only
-- people or other waits do. Writes only when the status changes; returns the status it settled on.
-- No NOTIFY here: the caller sends it after the commit (see Notifier).
WITH counts AS (
    SELECT count(*) FILTER (WHERE status NOT IN ('DONE', 'DEAD', 'CANCELLED')) AS unfinished,
           count(*) FILTER (WHERE status IN ('PENDING', 'FAILED', 'IN_PROGRESS')) AS runnable
    FROM todolist
    WHERE proc_inst_id = :id
), next AS (
    SELECT CASE WHEN unfinished = 0 THEN 'COMPLETED'
                WHEN runnable > 0 THEN 'RUNNING'
                ELSE 'WAITING' END AS status
    FROM counts
), changed AS (
    UPDATE bpm_proc_inst i
    SET status = next.status,
        output = CASE WHEN next.status = 'COMPLETED' THEN CAST(:output AS jsonb) ELSE i.output END,
        finished_at = CASE WHEN next.status = 'COMPLETED' THEN now() END,
        updated_at = now()
    FROM next
    WHERE i.id = :id
      AND i.status <> next.status
    RETURNING i.id, i.status
), event AS (
    INSERT INTO events (proc_inst_id, task_id, type, payload)
    SELECT id, NULL, 'process_completed', jsonb_build_object('output', CAST(:output AS jsonb))
    FROM changed
    WHERE status = 'COMPLETED'
)
SELECT status FROM next
