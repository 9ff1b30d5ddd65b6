INSERT INTO notifications (proc_inst_id, tenant_id, task_id, recipient, type, title, body, payload)
VALUES (:procInstId, (SELECT tenant_id FROM bpm_proc_inst WHERE id = :procInstId), :taskId, :recipient, :type, :title, :body, :payload)
RETURNING id
