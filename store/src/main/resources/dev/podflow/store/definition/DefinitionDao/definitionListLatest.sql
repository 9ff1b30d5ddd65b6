-- A page of one tenant's definitions in their latest versions, newest first by (created_at, id),
-- after the cursor's position (the first page starts at 'infinity', as in
-- InstanceDao/instanceList.sql). Served by proc_def_tenant_created (V13) in this order; an older
-- version met on the way is skipped after a probe of the primary key.
SELECT d.id, d.version, d.name, d.created_at
FROM proc_def d
WHERE d.tenant_id = :tenantId
  AND d.version = (SELECT max(v.version) FROM proc_def v WHERE v.tenant_id = d.tenant_id AND v.id = d.id)
  AND (d.created_at, d.id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS text))
ORDER BY d.created_at DESC, d.id DESC
LIMIT :limit
