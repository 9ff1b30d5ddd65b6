-- Completions, first statement of their transaction: each task DONE with its output (fenced by its
-- claim token), the instances locked in id order (lock order: task rows, then instances) and one
-- task_completed event per task. One row per task that was completed, with its instance as it is
-- under the lock; a task whose claim is gone has no row and nothing of it was written. :ids,
-- :claimTokens and :outputs are parallel arrays; each row finds its own element by the position of
-- its id (array_position), so nothing is joined: an UPDATE ... FROM, or a locking query with a
-- semi-join, copies every joined row whole for its recheck machinery (measured in the profile).
--
-- A pod's sessions plan it, and every other statement of theirs, generically (Database's start-up
-- options): with array parameters PostgreSQL would otherwise plan it anew on most runs.
-- No NOTIFY here: the caller sends it after the commit (see Notifier).
WITH done AS (
    UPDATE todolist t
    SET status = 'DONE',
        output = CAST((CAST(:outputs AS text[]))[array_position(CAST(:ids AS bigint[]), t.id)] AS jsonb),
        finished_at = now(),
        lease_expires_at = NULL
    WHERE t.id = ANY (CAST(:ids AS bigint[]))
      AND t.claim_token = (CAST(:claimTokens AS uuid[]))[array_position(CAST(:ids AS bigint[]), t.id)]
      AND t.status = 'IN_PROGRESS'
    RETURNING t.id, t.proc_inst_id, t.tenant_id, t.activity_id, t.attempts, t.output
), inst AS (
    SELECT i.*
    FROM bpm_proc_inst i
    WHERE i.id = ANY (ARRAY(SELECT proc_inst_id FROM done))
    ORDER BY i.id
    FOR UPDATE
), event AS (
    INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
    SELECT proc_inst_id, tenant_id, id, 'task_completed',
           jsonb_build_object('activityId', activity_id, 'attempt', attempts, 'output', output)
    FROM done
    ORDER BY id
)
SELECT done.id AS task_id, inst.*
FROM done
JOIN inst ON inst.id = done.proc_inst_id
ORDER BY done.id
