-- The key that signs the API's stream tokens (issue 18). A browser's EventSource cannot send an
-- Authorization header, so it opens an event stream with ?streamToken=…, a token POST
-- /api/v1/stream-tokens mints for 60 seconds, signed with HMAC-SHA256 under this key. One key per
-- database, so that every API replica checks the tokens any other one minted.
--
-- 32 bytes from two version-4 UUIDs: gen_random_uuid() draws from PostgreSQL's strong random
-- source (pg_strong_random), 122 random bits each, 244 in all.
CREATE TABLE stream_token_key (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    secret     bytea NOT NULL CHECK (length(secret) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO stream_token_key (secret)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- No role but the owner reads the table (it belongs to no tenant: no row-level security, no
-- grant). The API reads the key once at start through its readers' pool (podflow_metrics), with
-- this function, run with the owner's rights. podflow_api may not call it: no request handler
-- can reach the key that mints credentials.
CREATE FUNCTION podflow_stream_token_key() RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT secret FROM stream_token_key
$$;

-- A security-definer function must not resolve names through its caller's search_path.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION podflow_stream_token_key() SET search_path = %I, pg_temp', current_schema());
END
$$;

REVOKE ALL ON FUNCTION podflow_stream_token_key() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION podflow_stream_token_key() TO podflow_metrics;
