-- A page of one definition's versions, newest first by (created_at, version), after the cursor's
-- position (the first page starts at 'infinity', as in InstanceDao/instanceList.sql). Served by
-- proc_def_tenant_versions (V13) in this order.
SELECT id, version, name, created_at
FROM proc_def
WHERE tenant_id = :tenantId
  AND id = :id
  AND (created_at, version) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterVersion AS integer))
ORDER BY created_at DESC, version DESC
LIMIT :limit
