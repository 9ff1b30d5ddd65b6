-- A document to chunk and embed: QUEUED, for a pod to claim (documentClaim.sql).
INSERT INTO documents (tenant_id, agent_id, title, media_type, content, created_by)
VALUES (:tenantId, :agentId, :title, :mediaType, :content, :createdBy)
RETURNING id, title, media_type, agent_id, status, chunks, chunks_embedded, error, attempts,
          created_at, updated_at
