-- A page of one tenant's audit entries, newest first by (at, id), after the cursor's position (the
-- first page starts at 'infinity', as in AgentDao/agentList.sql). Served by audit_log_tenant_at
-- (V14) in this order.
SELECT id, at, actor, action, subject, details
FROM audit_log
WHERE tenant_id = :tenantId
  AND (at, id) < (coalesce(CAST(:afterAt AS timestamptz), 'infinity'), CAST(:afterId AS bigint))
ORDER BY at DESC, id DESC
LIMIT :limit
