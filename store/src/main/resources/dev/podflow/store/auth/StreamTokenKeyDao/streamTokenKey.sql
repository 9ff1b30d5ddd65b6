-- The key that signs stream tokens. Through the SECURITY DEFINER function of migration V31: only
-- the readers' role (podflow_metrics) may call it, and no role reads the table itself.
SELECT podflow_stream_token_key()
