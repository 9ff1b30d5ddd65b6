INSERT INTO proc_def (tenant_id, id, version, name, definition)
SELECT :tenantId, :id, coalesce(max(version), 0) + 1, :name, :definition
FROM proc_def
WHERE tenant_id = :tenantId
  AND id = :id
RETURNING version
