-- A pod's completion, first statement of its transaction: the task DONE (fenced by the claim
-- token), then its instance locked (lock order: task row, then instance) and the task_completed
-- event written. Returns the locked instance as it is now, or no row when the claim is gone (then
-- nothing was written). No NOTIFY here: the caller sends it after the commit (see Notifier).
WITH done AS (
    UPDATE todolist
    SET status = 'DONE',
        output = :output,
        finished_at = now(),
        lease_expires_at = NULL
    WHERE id = :id
      AND claim_token = :claimToken
      AND status = 'IN_PROGRESS'
    RETURNING id, proc_inst_id
), inst AS (
    SELECT i.*
    FROM bpm_proc_inst i
    JOIN done ON i.id = done.proc_inst_id
    FOR UPDATE OF i
), event AS (
    INSERT INTO events (proc_inst_id, task_id, type, payload)
    SELECT inst.id, done.id, 'task_completed', :payload
    FROM inst, done
)
SELECT * FROM inst
