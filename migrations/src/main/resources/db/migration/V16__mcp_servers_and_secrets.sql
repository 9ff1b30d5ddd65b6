-- The tenant-scoped MCP server registry and the tenant secret store (issue 13). Both are managed by
-- a tenant's admins through the API (/api/v1/mcp-servers, /api/v1/secrets) and read by the pods
-- when a step calls a tool. Born tenant-scoped exactly as V15 made the older tables: row-level
-- security enabled and forced, the same three policies, the same grants.

-- An MCP server a tenant's agents may call: a stdio server (command, args, env) or a streamable
-- HTTP one (url, headers). env and headers hold values that may reference the tenant's secrets by
-- name (a dollar sign and the name in braces; Flyway would read the literal form as one of its
-- placeholders); the API refuses a credential written in clear, so no column here holds a secret.
CREATE TABLE mcp_servers (
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    -- Short: the model sees each tool as '<server>_<tool>', at most 64 characters.
    name       text        NOT NULL,
    command    text,
    args       jsonb,
    env        jsonb,
    url        text,
    headers    jsonb,
    enabled    boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Who registered it: 'key:<key id>' or 'jwt:<subject>', as audit entries name callers.
    created_by text        NOT NULL,
    PRIMARY KEY (tenant_id, name),
    CONSTRAINT mcp_servers_name_format CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    -- Exactly one transport: a command (stdio) or a URL (streamable HTTP), each with its own fields.
    CONSTRAINT mcp_servers_one_transport CHECK ((command IS NULL) <> (url IS NULL)),
    CONSTRAINT mcp_servers_stdio_fields CHECK (
        command IS NULL
        OR (headers IS NULL AND jsonb_typeof(args) = 'array' AND jsonb_typeof(env) = 'object')),
    CONSTRAINT mcp_servers_http_fields CHECK (
        url IS NULL OR (args IS NULL AND env IS NULL AND jsonb_typeof(headers) = 'object'))
);

-- A tenant's servers newest first, the order GET /api/v1/mcp-servers pages through (as V13's).
CREATE INDEX mcp_servers_tenant_created ON mcp_servers (tenant_id, created_at DESC, name DESC);

-- A tenant's secrets, write-only through the API: AES-256-GCM under the key in PODFLOW_SECRETS_KEY,
-- bound to (tenant_id, name), so a ciphertext copied to another tenant or name does not decrypt
-- (SecretCipher: a version byte, a 12-byte nonce, the ciphertext and its 16-byte tag).
CREATE TABLE tenant_secrets (
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    name       text        NOT NULL,
    ciphertext bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name),
    CONSTRAINT tenant_secrets_name_format CHECK (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,63}$'),
    -- Version byte + nonce + tag + at least one byte of text.
    CONSTRAINT tenant_secrets_ciphertext_sealed CHECK (octet_length(ciphertext) > 29)
);

-- A tenant's secrets newest first, the order GET /api/v1/secrets pages through.
CREATE INDEX tenant_secrets_tenant_created ON tenant_secrets (tenant_id, created_at DESC, name DESC);

-- The audit log records changes to both (never a secret's value).
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_known;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_known CHECK (action IN (
    'definition.published', 'agent.created', 'agent.updated', 'key.created', 'key.revoked',
    'mcp_server.created', 'mcp_server.updated', 'mcp_server.deleted',
    'secret.put', 'secret.deleted'));

-- What each role may do (rows are narrowed by the policies below): the API manages both for the
-- tenant of its session; the pods read both for every tenant when a step calls a tool.
GRANT SELECT, INSERT, UPDATE, DELETE ON mcp_servers, tenant_secrets TO podflow_api;
GRANT SELECT ON mcp_servers, tenant_secrets TO podflow_pod;

-- Row-level security, forced on the owner too, with V15's policies: the API's keyed on
-- podflow.tenant (unset or reset: nothing), the pods' every tenant (read only, by the grants
-- above), the owner's through a policy of its own.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['mcp_servers', 'tenant_secrets'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_rows ON %I TO podflow_api'
            ' USING (tenant_id = current_setting(''podflow.tenant'', true))'
            ' WITH CHECK (tenant_id = current_setting(''podflow.tenant'', true))', t);
        EXECUTE format(
            'CREATE POLICY every_tenant ON %I FOR SELECT TO podflow_pod USING (true)', t);
        EXECUTE format(
            'CREATE POLICY owner_rows ON %I TO %I USING (true) WITH CHECK (true)',
            t, current_user);
    END LOOP;
END
$$;
