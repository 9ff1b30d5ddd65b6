UPDATE bpm_proc_inst
SET status = :status,
    output = CASE WHEN :status IN ('COMPLETED', 'ERROR', 'CANCELLED') THEN :output ELSE output END,
    finished_at = CASE WHEN :status IN ('COMPLETED', 'ERROR', 'CANCELLED') THEN now() END,
    updated_at = now()
WHERE id = :id
