-- The chunks of the tenant's READY documents (every agent's and this agent's) nearest the query.
SELECT *
FROM (
    SELECT c.id, c.document_id, d.title, c.content, podflow_cosine(c.embedding, CAST(:query AS real[])) AS score
    FROM document_chunks c
    JOIN documents d ON d.id = c.document_id
    WHERE c.tenant_id = :tenantId
      AND d.status = 'READY'
      AND (d.agent_id IS NULL OR d.agent_id = :agentId)
    ORDER BY score DESC
    LIMIT :limit
) nearest
WHERE score >= :minScore
ORDER BY score DESC
