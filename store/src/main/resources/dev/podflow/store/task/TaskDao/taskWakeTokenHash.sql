-- The wake token hash of a PENDING task, whatever its tenant (V18's function): what a callback's
-- token is compared with.
SELECT podflow_wake_token_hash(:id)
