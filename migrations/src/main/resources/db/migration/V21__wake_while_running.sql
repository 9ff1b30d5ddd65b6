-- A push that arrives while its step is running (asking the peer after an earlier push) must not be
-- lost: V18 woke PENDING tasks only. Now a wake of a running task with the current token is kept in
-- wake_requested, and the step's next hand-back (taskPollLater.sql) makes it due at once instead of
-- after its delay.
ALTER TABLE todolist ADD COLUMN wake_requested boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION podflow_wake_token_hash(task_id bigint)
    RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
    SELECT t.wake_token_hash
    FROM todolist t
    WHERE t.id = task_id
      AND t.status IN ('PENDING', 'IN_PROGRESS')
$$;

-- Makes a waiting task due now, or marks a running one to be due at once when it hands back; false
-- when the task holds another token's hash or has finished.
CREATE OR REPLACE FUNCTION podflow_wake_task(task_id bigint, token_hash bytea)
    RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
    WITH woken AS (
        UPDATE todolist t
        SET run_after = CASE WHEN t.status = 'PENDING' THEN least(t.run_after, now())
                             ELSE t.run_after END,
            wake_requested = (t.status = 'IN_PROGRESS')
        WHERE t.id = task_id
          AND t.status IN ('PENDING', 'IN_PROGRESS')
          AND t.wake_token_hash = token_hash
        RETURNING 1)
    SELECT count(*) > 0 FROM woken
$$;
