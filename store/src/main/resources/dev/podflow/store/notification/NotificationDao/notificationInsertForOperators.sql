-- One notification for each operator and admin of the instance's tenant (users, V27).
INSERT INTO notifications (proc_inst_id, tenant_id, task_id, recipient, type, title, body, payload)
SELECT i.id, i.tenant_id, :taskId, u.id, :type, :title, :body, :payload
FROM bpm_proc_inst i
JOIN users u ON u.tenant_id = i.tenant_id AND u.roles && ARRAY['operator', 'admin']::text[]
WHERE i.id = :procInstId
ORDER BY u.id
