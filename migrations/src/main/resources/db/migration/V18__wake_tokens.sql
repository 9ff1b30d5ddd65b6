-- Waiting for something outside without holding a pod (issue 14): a step that waits for an A2A
-- peer's task hands its task back PENDING with a run_after (its next poll) and a fresh wake token,
-- of which the task keeps only the SHA-256. Whoever holds the token (the peer's push notification)
-- may make the task due at once; a new wait makes the old token worthless. The API takes such
-- callbacks without a tenant (a peer holds no Podflow key), so it reads a task's token hash and
-- wakes the task through these two functions, run with the owner's rights, each touching one
-- PENDING task and nothing else.
ALTER TABLE todolist ADD COLUMN wake_token_hash bytea;

CREATE FUNCTION podflow_wake_token_hash(task_id bigint)
    RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
    SELECT t.wake_token_hash
    FROM todolist t
    WHERE t.id = task_id
      AND t.status = 'PENDING'
$$;

-- Makes the task due now (never later than it was) when it still waits with this token's hash;
-- false when it does not (claimed since, finished, another wait's token).
CREATE FUNCTION podflow_wake_task(task_id bigint, token_hash bytea)
    RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
    WITH woken AS (
        UPDATE todolist t
        SET run_after = least(t.run_after, now())
        WHERE t.id = task_id
          AND t.status = 'PENDING'
          AND t.wake_token_hash = token_hash
        RETURNING 1)
    SELECT count(*) > 0 FROM woken
$$;

REVOKE ALL ON FUNCTION podflow_wake_token_hash(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION podflow_wake_task(bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION podflow_wake_token_hash(bigint) TO podflow_api;
GRANT EXECUTE ON FUNCTION podflow_wake_task(bigint, bytea) TO podflow_api;
