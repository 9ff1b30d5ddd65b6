-- The key to check a presented secret against, hash included. Through the SECURITY DEFINER
-- function of migration V15: authentication finds the key before it knows the tenant, which the
-- API's role (podflow_api, row-level security) may not do by reading api_keys itself.
SELECT id, tenant_id, role, user_name, created_at, expires_at, revoked_at, secret_hash
FROM podflow_api_key_for_check(:id)
