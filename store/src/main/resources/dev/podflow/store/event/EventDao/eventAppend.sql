-- Appends an event; returns its id. No NOTIFY here: the engine tells followers after the commit.
INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
VALUES (:procInstId, (SELECT tenant_id FROM bpm_proc_inst WHERE id = :procInstId), :taskId, :type, :payload)
RETURNING id
