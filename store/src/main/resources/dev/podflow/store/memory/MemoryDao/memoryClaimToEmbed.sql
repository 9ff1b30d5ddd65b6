-- Memories without an embedding or to embed again, oldest first, each put off for a minute while a
-- pod embeds it.
WITH due AS (
    SELECT id
    FROM memories
    WHERE (embedding IS NULL OR reembed)
      AND embed_after <= now()
    ORDER BY embed_after, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
UPDATE memories m
SET embed_attempts = m.embed_attempts + 1,
    embed_after = now() + interval '60 seconds'
FROM due
WHERE m.id = due.id
RETURNING m.id, m.tenant_id, m.agent_id, m.content
