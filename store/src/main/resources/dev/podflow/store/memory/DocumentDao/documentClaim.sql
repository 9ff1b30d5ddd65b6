-- The oldest document waiting to be chunked and embedded, or one whose pod's lease ran out.
WITH next AS (
    SELECT id
    FROM documents
    WHERE status = 'QUEUED'
       OR (status = 'EMBEDDING' AND lease_until < now())
    ORDER BY id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
UPDATE documents d
SET status = 'EMBEDDING',
    claimed_by = :podId,
    lease_until = now() + make_interval(secs => :leaseSeconds),
    attempts = d.attempts + 1,
    updated_at = now()
FROM next
WHERE d.id = next.id
RETURNING d.id, d.tenant_id, d.media_type, d.content, d.attempts
