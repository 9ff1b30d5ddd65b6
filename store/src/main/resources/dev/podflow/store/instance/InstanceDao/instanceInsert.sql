INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status, input, initiator, tenant_id, idempotency_key, parent_task_id)
VALUES (:id, :procDefId, :procDefVersion, 'RUNNING', :input, :initiator, :tenantId, :idempotencyKey, :parentTaskId)
ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING id
