-- jsonb equality, so a retried request matches however its numbers are spelled (1e2 = 100).
SELECT proc_def_id = :procDefId AND input = :input
FROM bpm_proc_inst
WHERE id = :id
