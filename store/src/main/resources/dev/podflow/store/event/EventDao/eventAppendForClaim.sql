-- Appends an event of a claimed task while the claim is held; no row (nothing written) when the
-- claim is gone. No NOTIFY here: the engine tells followers after the commit.
INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
SELECT proc_inst_id, tenant_id, id, :type, :payload
FROM todolist
WHERE id = :taskId
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
RETURNING id
