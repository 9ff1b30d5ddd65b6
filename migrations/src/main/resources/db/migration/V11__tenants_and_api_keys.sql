-- Tenants and the API keys that authenticate their callers.
-- A tenant is named by its id; the rows a tenant owns carry it as tenant_id (bpm_proc_inst has
-- since V1, with 'default' for every row written before tenants existed).
CREATE TABLE tenants (
    id          text        PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_id_format CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$')
);
INSERT INTO tenants (id) VALUES ('default');

-- An API key is 'pfk_<id part>_<secret part>'. Its id ('pfk_<id part>') is not secret: it is
-- what `keys list` shows, what `keys revoke` takes and what audit entries name. Only the SHA-256
-- of the secret part is stored (the secret is 40 random base62 characters, far beyond what a
-- dictionary or brute force reaches, so a slow password hash would only slow every request).
CREATE TABLE api_keys (
    id           text        PRIMARY KEY,
    secret_hash  bytea       NOT NULL,
    tenant_id    text        NOT NULL REFERENCES tenants (id),
    role         text        NOT NULL,
    user_name    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_keys_role_known CHECK (role IN ('admin', 'operator', 'user')),
    CONSTRAINT api_keys_hash_is_sha256 CHECK (octet_length(secret_hash) = 32)
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);
