-- The closest embedded memory in the scope of memory :id (same tenant, agent, user, definition).
SELECT *
FROM (
    SELECT o.id, o.content, o.source, 1 - (o.embedding::vector(384) <=> CAST(:embedding AS vector(384))) AS score
    FROM memories m
    JOIN memories o ON o.tenant_id = m.tenant_id
                   AND o.agent_id = m.agent_id
                   AND o.user_id IS NOT DISTINCT FROM m.user_id
                   AND o.definition_id IS NOT DISTINCT FROM m.definition_id
                   AND o.id <> m.id
                   AND o.embedding IS NOT NULL
    WHERE m.id = :id
    ORDER BY o.embedding::vector(384) <=> CAST(:embedding AS vector(384))
    LIMIT 1
) nearest
WHERE score >= :minScore
