-- A page of definitions in their latest versions, newest first by (created_at, id), after the
-- cursor's position (the first page starts at 'infinity', as in InstanceDao/instanceList.sql).
-- Served by proc_def_created (V12) in this order; an older version met on the way is skipped after
-- a probe of the primary key. Definitions are shared by all tenants for now: scoping them is one
-- more line here, AND d.tenant_id = :tenantId.
SELECT d.id, d.version, d.name, d.created_at
FROM proc_def d
WHERE d.version = (SELECT max(v.version) FROM proc_def v WHERE v.id = d.id)
  AND (d.created_at, d.id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS text))
ORDER BY d.created_at DESC, d.id DESC
LIMIT :limit
