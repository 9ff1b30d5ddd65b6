SELECT EXISTS (
    SELECT 1
    FROM documents
    WHERE tenant_id = :tenantId
      AND status = 'READY'
      AND (agent_id IS NULL OR agent_id = :agentId))
