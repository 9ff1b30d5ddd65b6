UPDATE documents
SET status = 'READY',
    error = NULL,
    claimed_by = NULL,
    lease_until = NULL,
    updated_at = now()
WHERE id = :id
  AND attempts = :attempt
  AND status = 'EMBEDDING'
