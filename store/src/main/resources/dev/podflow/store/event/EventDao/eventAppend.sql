WITH appended AS (
    INSERT INTO events (proc_inst_id, task_id, type, payload)
    VALUES (:procInstId, :taskId, :type, :payload)
    RETURNING id, proc_inst_id
)
SELECT id
FROM appended, LATERAL (SELECT pg_notify('podflow_events', proc_inst_id::text)) AS notified
