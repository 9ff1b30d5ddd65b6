INSERT INTO notifications (proc_inst_id, task_id, recipient, type, title, body, payload)
VALUES (:procInstId, :taskId, :recipient, :type, :title, :body, :payload)
RETURNING id
