-- Completions, first statement of their transaction: each task DONE with its output (fenced by its
-- claim token), the instances locked in id order (lock order: task rows, then instances) and one
-- task_completed event per task (:payloads, with the output added). One row per task that was
-- completed, with its instance as it is under the lock; a task whose claim is gone has no row and
-- nothing of it was written. The arrays are parallel: element k of each describes one task. No
-- NOTIFY here: the caller sends it after the commit (see Notifier).
WITH batch AS (
    SELECT *
    FROM unnest(CAST(:ids AS bigint[]), CAST(:claimTokens AS uuid[]),
                CAST(:outputs AS text[]), CAST(:payloads AS text[]))
         AS b(id, claim_token, output, payload)
), done AS (
    UPDATE todolist t
    SET status = 'DONE',
        output = CAST(batch.output AS jsonb),
        finished_at = now(),
        lease_expires_at = NULL
    FROM batch
    WHERE t.id = batch.id
      AND t.claim_token = batch.claim_token
      AND t.status = 'IN_PROGRESS'
    RETURNING t.id, t.proc_inst_id,
              CAST(batch.payload AS jsonb) || jsonb_build_object('output', t.output) AS payload
), inst AS (
    SELECT i.*
    FROM bpm_proc_inst i
    WHERE i.id IN (SELECT proc_inst_id FROM done)
    ORDER BY i.id
    FOR UPDATE
), generic_plans AS (
    SELECT set_config('plan_cache_mode', 'force_generic_plan', true)
), event AS (
    INSERT INTO events (proc_inst_id, task_id, type, payload)
    SELECT done.proc_inst_id, done.id, 'task_completed', done.payload
    FROM done
    JOIN inst ON inst.id = done.proc_inst_id
    ORDER BY done.id
)
SELECT done.id AS task_id, inst.*
FROM done
JOIN inst ON inst.id = done.proc_inst_id
CROSS JOIN generic_plans
ORDER BY done.id
