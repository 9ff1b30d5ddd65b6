UPDATE documents
SET chunks = :chunks,
    chunks_embedded = :embedded,
    lease_until = now() + make_interval(secs => :leaseSeconds),
    updated_at = now()
WHERE id = :id
  AND attempts = :attempt
  AND status = 'EMBEDDING'
