INSERT INTO memories (tenant_id, agent_id, user_id, definition_id, source, content, task_id,
                      created_by)
VALUES (:tenantId, :agentId, :userId, :definitionId, :source, :content, :taskId, :createdBy)
