-- Tenant isolation enforced by PostgreSQL (issue 12): every tenant-owned table carries tenant_id,
-- and row-level security lets each database role see only what it may. The roles (README,
-- "Database roles"):
--   owner            whoever runs the migrations: owns the tables, runs VACUUM and `./podflow keys`
--   podflow_api      the API's request handling: one tenant's rows, the tenant named by the
--                    setting podflow.tenant (set at the start of each connection use); nothing
--                    when it is unset
--   podflow_pod      the pods: every tenant's instances, tasks, events and notifications
--   podflow_metrics  read-only, every tenant: the queue-depth gauge, the event feed and the API's
--                    key check (KEDA later)
--   podflow_notifier the push sender: every tenant's notifications and device tokens
-- The four are NOLOGIN roles granted to the owner, which takes them with SET ROLE. They are
-- cluster-wide, so several Podflow databases on one server share them (created once).

-- 1. tenant_id on the tables that lacked it, filled from each row's instance ('default' for rows
--    without one). The DEFAULT only fills the existing rows: every insert names its tenant.
ALTER TABLE todolist ADD COLUMN tenant_id text NOT NULL DEFAULT 'default';
UPDATE todolist t SET tenant_id = i.tenant_id
FROM bpm_proc_inst i WHERE i.id = t.proc_inst_id AND i.tenant_id <> 'default';
ALTER TABLE todolist ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE events ADD COLUMN tenant_id text NOT NULL DEFAULT 'default';
UPDATE events e SET tenant_id = i.tenant_id
FROM bpm_proc_inst i WHERE i.id = e.proc_inst_id AND i.tenant_id <> 'default';
ALTER TABLE events ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE notifications ADD COLUMN tenant_id text NOT NULL DEFAULT 'default';
UPDATE notifications n SET tenant_id = i.tenant_id
FROM bpm_proc_inst i WHERE i.id = n.proc_inst_id AND i.tenant_id <> 'default';
ALTER TABLE notifications ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE device_tokens ADD COLUMN tenant_id text NOT NULL DEFAULT 'default';
ALTER TABLE device_tokens ALTER COLUMN tenant_id DROP DEFAULT;

-- 2. The roles. Concurrent migrations of two databases on one server may both try to create a
--    role: the loser finds it there.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['podflow_api', 'podflow_pod', 'podflow_metrics', 'podflow_notifier'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS', name);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        EXECUTE format('GRANT %I TO %I', name, current_user);
    END LOOP;
END
$$;

-- 3. What each role may do, table by table (rows are narrowed by the policies below).
DO $$
DECLARE
    schema_name text := current_schema();
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO podflow_api, podflow_pod, podflow_metrics, podflow_notifier', schema_name);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO podflow_api, podflow_pod', schema_name);
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON proc_def, agents, bpm_proc_inst, todolist, events, notifications, audit_log, device_tokens
    TO podflow_api;
GRANT SELECT ON tenants TO podflow_api;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON bpm_proc_inst, todolist, events, notifications, maintenance_runs
    TO podflow_pod;
GRANT SELECT ON proc_def, agents, tenants TO podflow_pod;
GRANT SELECT ON bpm_proc_inst, todolist, events TO podflow_metrics;
GRANT SELECT, UPDATE ON notifications TO podflow_notifier;
GRANT SELECT ON device_tokens TO podflow_notifier;

-- 4. Row-level security on every tenant-owned table, forced on the owner too: the owner's access
--    is a policy of its own rather than an exemption. The API's policy keys on podflow.tenant;
--    current_setting(…, true) is NULL when it was never set and '' after a reset, and neither
--    equals a tenant id, so a connection that set no tenant sees and writes nothing.
DO $$
DECLARE
    tables text[][] := ARRAY[
        ['tenants', 'id'], ['api_keys', 'tenant_id'], ['proc_def', 'tenant_id'],
        ['agents', 'tenant_id'], ['bpm_proc_inst', 'tenant_id'], ['todolist', 'tenant_id'],
        ['events', 'tenant_id'], ['notifications', 'tenant_id'], ['device_tokens', 'tenant_id'],
        ['audit_log', 'tenant_id']];
    i int;
BEGIN
    FOR i IN 1 .. array_length(tables, 1) LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tables[i][1]);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tables[i][1]);
        EXECUTE format(
            'CREATE POLICY tenant_rows ON %I TO podflow_api'
            ' USING (%I = current_setting(''podflow.tenant'', true))'
            ' WITH CHECK (%I = current_setting(''podflow.tenant'', true))',
            tables[i][1], tables[i][2], tables[i][2]);
        EXECUTE format(
            'CREATE POLICY every_tenant ON %I TO podflow_pod, podflow_metrics, podflow_notifier'
            ' USING (true) WITH CHECK (true)', tables[i][1]);
        EXECUTE format(
            'CREATE POLICY owner_rows ON %I TO %I USING (true) WITH CHECK (true)',
            tables[i][1], current_user);
    END LOOP;
END
$$;

-- 5. Authentication finds a key before it knows the tenant, which no role but the owner may do by
--    reading api_keys: this function, run with the owner's rights, returns the one key of the id
--    asked for and nothing else. search_path is pinned to this schema so that no one can slip a table of theirs in.
CREATE FUNCTION podflow_api_key_for_check(key_id text)
    RETURNS TABLE (id text, tenant_id text, role text, user_name text, created_at timestamptz,
                   expires_at timestamptz, revoked_at timestamptz, secret_hash bytea)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
    SELECT k.id, k.tenant_id, k.role, k.user_name, k.created_at, k.expires_at, k.revoked_at,
           k.secret_hash
    FROM api_keys k
    WHERE k.id = key_id
$$;
REVOKE ALL ON FUNCTION podflow_api_key_for_check(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION podflow_api_key_for_check(text) TO podflow_api, podflow_metrics;
