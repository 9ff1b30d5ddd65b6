-- Push notifications to the callers of Podflow's A2A server (issue 14): a caller may give a task (a
-- process) a webhook URL and token; the pods post the task to it whenever its A2A state differs
-- from the last one delivered, retrying with backoff. The state is read from the process at every
-- attempt, so no change is lost and none is queued twice.
CREATE TABLE a2a_push_configs (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    proc_inst_id    uuid        NOT NULL,
    url             text        NOT NULL,
    -- The caller's own token, sent back in X-A2A-Notification-Token; null when it gave none.
    token           text,
    delivered_state text,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (proc_inst_id, url)
);

CREATE INDEX a2a_push_configs_due ON a2a_push_configs (next_attempt_at);

GRANT SELECT, INSERT, UPDATE ON a2a_push_configs TO podflow_api;
GRANT SELECT, UPDATE ON a2a_push_configs TO podflow_pod;

ALTER TABLE a2a_push_configs ENABLE ROW LEVEL SECURITY;
ALTER TABLE a2a_push_configs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON a2a_push_configs TO podflow_api
    USING (tenant_id = current_setting('podflow.tenant', true))
    WITH CHECK (tenant_id = current_setting('podflow.tenant', true));
CREATE POLICY every_tenant ON a2a_push_configs TO podflow_pod USING (true) WITH CHECK (true);
DO $$
BEGIN
    EXECUTE format(
        'CREATE POLICY owner_rows ON a2a_push_configs TO %I USING (true) WITH CHECK (true)',
        current_user);
END
$$;
