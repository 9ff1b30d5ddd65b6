-- A page of one tenant's instances, newest first by (created_at, id): of one status, definition and
-- initiator, created after :createdAfter and before :createdBefore, where those are given (null:
-- any). The page starts after the cursor's position (:afterCreatedAt, :afterId); the first page,
-- without one, starts at 'infinity', so that bound holds for every row and is always where the
-- index scan starts. Served by the V12 index that leads with the tenant and the filter given
-- (status, definition or initiator; else the tenant alone), which returns the rows in this order:
-- the scan stops after :limit rows however many match. The filters fold away because the statement
-- is planned with its values (PostgreSQL keeps custom plans for it: a generic one would be
-- estimated far dearer).
SELECT id, proc_def_id, proc_def_version, status, initiator, created_at, updated_at, finished_at
FROM bpm_proc_inst
WHERE tenant_id = :tenantId
  AND (CAST(:status AS text) IS NULL OR status = :status)
  AND (CAST(:procDefId AS text) IS NULL OR proc_def_id = :procDefId)
  AND (CAST(:initiator AS text) IS NULL OR initiator = :initiator)
  AND (CAST(:createdAfter AS timestamptz) IS NULL OR created_at > CAST(:createdAfter AS timestamptz))
  AND (CAST(:createdBefore AS timestamptz) IS NULL OR created_at < CAST(:createdBefore AS timestamptz))
  AND (created_at, id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS uuid))
ORDER BY created_at DESC, id DESC
LIMIT :limit
