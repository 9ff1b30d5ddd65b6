-- Agents that are remote A2A peers (issue 14): an agent profile may name a peer's agent card and the
-- tenant secret sent as its bearer token, {"agentCardUrl": "...", "credentials": "<secret name>"},
-- so that a2a steps name the agent instead of a URL.
ALTER TABLE agents ADD COLUMN a2a jsonb;
ALTER TABLE agents ADD CONSTRAINT agents_a2a_object CHECK (a2a IS NULL OR jsonb_typeof(a2a) = 'object');
