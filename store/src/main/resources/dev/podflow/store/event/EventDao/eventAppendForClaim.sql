WITH appended AS (
    INSERT INTO events (proc_inst_id, task_id, type, payload)
    SELECT proc_inst_id, id, :type, :payload
    FROM todolist
    WHERE id = :taskId
      AND claim_token = :claimToken
      AND status = 'IN_PROGRESS'
    RETURNING id, proc_inst_id
)
SELECT id
FROM appended, LATERAL (SELECT pg_notify('podflow_events', proc_inst_id::text)) AS notified
