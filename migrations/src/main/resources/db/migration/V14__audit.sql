-- Who changed what a tenant runs on (issue 12): every published definition version, every agent
-- created or replaced and every API key issued or revoked leaves one row here, written in the
-- transaction that makes the change, so no change commits without its entry.
--
-- Retention: audit entries are kept until an operator deletes them. They are not instance data:
-- the pods' pruner (agent-pod Pruner, MaintenanceDao/maintenancePruneFinishedInstances.sql)
-- deletes finished instances with their tasks, events and notifications only, and must never touch
-- this table. (What happened to an instance, and who asked, is in its events' `by`.)
CREATE TABLE audit_log (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The tenant whose definition, agent or key changed (a key's own tenant).
    tenant_id  text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    -- Who: 'key:<key id>' or 'jwt:<subject>' for an API caller, 'cli' for `./podflow keys` run by
    -- an operator on the machine, or the label of an internal caller ('demo', 'bench', 'chaos',
    -- 'internal'). Never a secret.
    actor      text        NOT NULL,
    action     text        NOT NULL,
    -- What: 'id@version' for a definition, the agent's id, the key's id (pfk_…, not secret).
    subject    text        NOT NULL,
    -- Facts about the change (a definition's name, a key's role and user, …); never a secret.
    details    jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT audit_log_action_known CHECK (action IN (
        'definition.published', 'agent.created', 'agent.updated', 'key.created', 'key.revoked'))
);

-- A tenant's entries newest first, the order GET /api/v1/audit pages through (keyset, as V12/V13).
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at DESC, id DESC);
