UPDATE documents
SET status = CASE WHEN attempts >= :maxAttempts THEN 'FAILED' ELSE 'QUEUED' END,
    error = :error,
    claimed_by = NULL,
    lease_until = NULL,
    updated_at = now()
WHERE id = :id
  AND attempts = :attempt
  AND status = 'EMBEDDING'
