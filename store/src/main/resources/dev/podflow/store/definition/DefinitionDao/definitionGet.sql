SELECT * FROM proc_def WHERE tenant_id = :tenantId AND id = :id AND version = :version
