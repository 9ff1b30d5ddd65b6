-- What a cancelled task leaves to undo outside (issue 14): a step that started something elsewhere
-- (an A2A peer's task) keeps in its saved state what undoes it ('onCancel'); cancelling the process
-- queues that here, in the cancel's transaction, and the pods carry it out after the commit through
-- the task's orchestrator, retrying with backoff until it is done or given up. An outbox, so a
-- cancel that cannot reach the peer at once is not lost.
CREATE TABLE task_cleanups (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    task_id         bigint      NOT NULL,
    orchestrator    text        NOT NULL,
    payload         jsonb       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Set once carried out, or given up (last_error says why).
    finished_at     timestamptz,
    CONSTRAINT task_cleanups_payload_object CHECK (jsonb_typeof(payload) = 'object')
);

-- The pods' claim: the due, unfinished ones, oldest first.
CREATE INDEX task_cleanups_due ON task_cleanups (next_attempt_at, id) WHERE finished_at IS NULL;

-- The API queues a tenant's cleanups when it cancels (its own tenant's rows only); the pods carry
-- out every tenant's.
GRANT SELECT, INSERT ON task_cleanups TO podflow_api;
GRANT SELECT, INSERT, UPDATE ON task_cleanups TO podflow_pod;

ALTER TABLE task_cleanups ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_cleanups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON task_cleanups TO podflow_api
    USING (tenant_id = current_setting('podflow.tenant', true))
    WITH CHECK (tenant_id = current_setting('podflow.tenant', true));
CREATE POLICY every_tenant ON task_cleanups TO podflow_pod USING (true) WITH CHECK (true);
DO $$
BEGIN
    EXECUTE format(
        'CREATE POLICY owner_rows ON task_cleanups TO %I USING (true) WITH CHECK (true)',
        current_user);
END
$$;
