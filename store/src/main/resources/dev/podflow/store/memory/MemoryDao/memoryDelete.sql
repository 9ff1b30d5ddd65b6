-- Removes one of the agent's memories; a user's own only when :userId is given (else any).
DELETE FROM memories
WHERE tenant_id = :tenantId
  AND agent_id = :agentId
  AND id = :id
  AND (CAST(:userId AS text) IS NULL OR user_id = :userId)
