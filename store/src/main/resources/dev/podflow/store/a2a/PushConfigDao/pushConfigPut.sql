INSERT INTO a2a_push_configs (tenant_id, proc_inst_id, url, token)
VALUES (:tenantId, :procInstId, :url, :token)
ON CONFLICT (proc_inst_id, url) DO UPDATE
SET token = excluded.token,
    attempts = 0,
    next_attempt_at = now()
