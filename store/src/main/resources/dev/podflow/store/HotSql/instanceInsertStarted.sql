-- Starts an instance: its row and its process_started event, in one statement. No row (and
-- nothing written) when the idempotency key already names an instance. No NOTIFY here: the caller
-- sends it after the commit (see Notifier).
WITH inserted AS (
    INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status, input, initiator, tenant_id, idempotency_key, parent_task_id)
    VALUES (:id, :procDefId, :procDefVersion, 'RUNNING', :input, :initiator, :tenantId, :idempotencyKey, :parentTaskId)
    ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING *
), event AS (
    INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
    SELECT id, tenant_id, NULL, 'process_started', :payload
    FROM inserted
)
SELECT * FROM inserted
