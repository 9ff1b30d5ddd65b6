-- The agent's embedded memories of the given sources nearest the query: the whole agent's and the
-- user's own, of every definition and of this one.
SELECT *
FROM (
    SELECT o.id, o.content, o.source, 1 - (o.embedding::vector(384) <=> CAST(:query AS vector(384))) AS score
    FROM memories o
    WHERE o.tenant_id = :tenantId
      AND o.agent_id = :agentId
      AND (o.user_id IS NULL OR o.user_id = :userId)
      AND (o.definition_id IS NULL OR o.definition_id = :definitionId)
      AND o.source = ANY (CAST(:sources AS text[]))
      AND o.embedding IS NOT NULL
    ORDER BY o.embedding::vector(384) <=> CAST(:query AS vector(384))
    LIMIT :limit
) nearest
WHERE score >= :minScore
ORDER BY score DESC
