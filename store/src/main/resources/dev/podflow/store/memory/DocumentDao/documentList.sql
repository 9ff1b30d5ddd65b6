-- A page of the tenant's documents, newest first by (created_at, id), after the cursor's position
-- (the first page starts at 'infinity', as in MemoryDao/memoryList.sql). Never the content.
SELECT id, title, media_type, agent_id, status, chunks, chunks_embedded, error, attempts,
       created_at, updated_at
FROM documents
WHERE tenant_id = :tenantId
  AND (created_at, id) < (coalesce(CAST(:afterCreatedAt AS timestamptz), 'infinity'), CAST(:afterId AS bigint))
ORDER BY created_at DESC, id DESC
LIMIT :limit
