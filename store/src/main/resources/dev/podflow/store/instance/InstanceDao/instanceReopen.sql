-- An instance in ERROR runs again (retry by hand): no longer finished, no output yet.
UPDATE bpm_proc_inst
SET status = 'RUNNING',
    output = NULL,
    finished_at = NULL,
    updated_at = now()
WHERE id = :id
