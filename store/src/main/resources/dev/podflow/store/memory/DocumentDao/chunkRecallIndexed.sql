-- The chunks of the tenant's READY documents (every agent's and this agent's) nearest the query.
SELECT *
FROM (
    SELECT c.id, c.document_id, d.title, c.content, 1 - (c.embedding::vector(384) <=> CAST(:query AS vector(384))) AS score
    FROM document_chunks c
    JOIN documents d ON d.id = c.document_id
    WHERE c.tenant_id = :tenantId
      AND d.status = 'READY'
      AND (d.agent_id IS NULL OR d.agent_id = :agentId)
    ORDER BY c.embedding::vector(384) <=> CAST(:query AS vector(384))
    LIMIT :limit
) nearest
WHERE score >= :minScore
ORDER BY score DESC
