-- After a model change: the tenant's READY documents with chunks another model embedded (or all,
-- when :model is null) are queued to be chunked and embedded again; their passages are not
-- recalled until they are READY again.
UPDATE documents d
SET status = 'QUEUED',
    attempts = 0,
    error = NULL,
    updated_at = now()
WHERE d.tenant_id = :tenantId
  AND d.status = 'READY'
  AND (CAST(:model AS text) IS NULL
       OR EXISTS (SELECT 1
                  FROM document_chunks c
                  WHERE c.document_id = d.id
                    AND c.embedding_model IS DISTINCT FROM :model))
