SELECT id, title, media_type, agent_id, status, chunks, chunks_embedded, error, attempts,
       created_at, updated_at
FROM documents
WHERE tenant_id = :tenantId
  AND id = :id
