INSERT INTO task_feedback (tenant_id, task_id, user_id, rating, correction, memory_id)
VALUES (:tenantId, :taskId, :userId, :rating, :correction, :memoryId)
