-- The latest version number of one tenant's definition id; NULL when it has none.
SELECT max(version)
FROM proc_def
WHERE tenant_id = :tenantId
  AND id = :id
