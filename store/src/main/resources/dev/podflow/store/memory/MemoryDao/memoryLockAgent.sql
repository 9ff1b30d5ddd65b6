-- Serializes, until the transaction ends, the writes that check one agent's memories for
-- near-duplicates.
SELECT pg_advisory_xact_lock(hashtextextended(:tenantId || '/' || :agentId, 0))
