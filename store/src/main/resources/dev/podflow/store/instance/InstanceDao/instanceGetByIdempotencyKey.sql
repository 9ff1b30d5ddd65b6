SELECT * FROM bpm_proc_inst WHERE tenant_id = :tenantId AND idempotency_key = :idempotencyKey
