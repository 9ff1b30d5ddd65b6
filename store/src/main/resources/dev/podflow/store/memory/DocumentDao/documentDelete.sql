-- Removes a document whatever its status; its chunks go with it (ON DELETE CASCADE). A pod
-- embedding it meanwhile finds no row at its next fenced write and stops.
DELETE FROM documents
WHERE tenant_id = :tenantId
  AND id = :id
RETURNING id, title, media_type, agent_id, status, chunks, chunks_embedded, error, attempts,
          created_at, updated_at
