-- The API's side of the users and their devices (issue 16).

-- 1. The audit log records what the API changes about users: a profile (email address, display
--    name), a device registered (or moved to another user) and one deleted.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_known;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_known CHECK (action IN (
    'definition.published', 'agent.created', 'agent.updated', 'key.created', 'key.revoked',
    'mcp_server.created', 'mcp_server.updated', 'mcp_server.deleted',
    'secret.put', 'secret.deleted',
    'memory.knowledge_added', 'memory.deleted', 'memory.promoted',
    'document.added', 'document.deleted',
    'user.updated', 'device.registered', 'device.deleted'));

-- 2. The API records each caller's user (users.roles) on its first request, JWT callers too, whose
--    tenant may be new to this database: it may create the row of its own tenant (the policy
--    tenant_rows of V15 checks the new row against podflow.tenant), nothing else of tenants.
GRANT INSERT ON tenants TO podflow_api;

-- 3. A device token is one phone or browser, whoever had it before: registering it again moves it
--    to the caller's tenant and user and makes it active again. Its earlier row may be another
--    tenant's, which the API's role can neither see nor change; this function, run with the
--    owner's rights, does that one move for the tenant in podflow.tenant and nothing else.
--    created is true when the token was new.
CREATE FUNCTION podflow_device_register(device_token text, device_recipient text,
                                        device_platform text)
    RETURNS TABLE (token text, platform text, created_at timestamptz, retired_at timestamptz,
                   retired_reason text, last_sent_at timestamptz, created boolean)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
DECLARE
    tenant text := nullif(current_setting('podflow.tenant', true), '');
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'podflow_device_register needs podflow.tenant set';
    END IF;
    RETURN QUERY
    INSERT INTO device_tokens AS d (token, tenant_id, recipient, platform)
    VALUES (device_token, tenant, device_recipient, device_platform)
    ON CONFLICT ON CONSTRAINT device_tokens_pkey DO UPDATE
        SET tenant_id = EXCLUDED.tenant_id,
            recipient = EXCLUDED.recipient,
            platform = EXCLUDED.platform,
            retired_at = NULL,
            retired_reason = NULL
    RETURNING d.token, d.platform, d.created_at, d.retired_at, d.retired_reason, d.last_sent_at,
              d.xmax = 0;
END
$$;
REVOKE ALL ON FUNCTION podflow_device_register(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION podflow_device_register(text, text, text) TO podflow_api;
