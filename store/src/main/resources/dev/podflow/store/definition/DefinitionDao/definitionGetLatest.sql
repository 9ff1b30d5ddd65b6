SELECT * FROM proc_def WHERE tenant_id = :tenantId AND id = :id ORDER BY version DESC LIMIT 1
