-- The audit log records what the API does to documents agents recall from (issue 15): a document
-- an admin adds, one deleted.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_known;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_known CHECK (action IN (
    'definition.published', 'agent.created', 'agent.updated', 'key.created', 'key.revoked',
    'mcp_server.created', 'mcp_server.updated', 'mcp_server.deleted',
    'secret.put', 'secret.deleted',
    'memory.knowledge_added', 'memory.deleted', 'memory.promoted',
    'document.added', 'document.deleted'));
