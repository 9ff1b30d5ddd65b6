INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status, input, initiator, tenant_id, idempotency_key)
VALUES (:id, :procDefId, :procDefVersion, 'RUNNING', :input, :initiator, :tenantId, :idempotencyKey)
ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING id
