-- After a model change: the tenant's memories embedded by another model (or all, when :model is
-- null) are embedded again by the pods; until then recall uses their old embeddings.
UPDATE memories
SET reembed = true,
    embed_attempts = 0,
    embed_after = now()
WHERE tenant_id = :tenantId
  AND embedding IS NOT NULL
  AND (CAST(:model AS text) IS NULL OR embedding_model IS DISTINCT FROM :model)
