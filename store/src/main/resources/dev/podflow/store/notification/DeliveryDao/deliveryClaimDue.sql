-- Claims up to :limit due deliveries on :channels (those this notifier has), oldest due first,
-- skipping rows another notifier holds: PENDING ones whose next attempt has come, and SENDING ones
-- whose claimer's lease ran out (a claim sets next_attempt_at to the lease's end, so both are due
-- by next_attempt_at, which the partial index serves). Each claim counts an attempt (the fence of
-- every later write) and holds a lease; a SENDING row that already had its last attempt is left to
-- deliveryGiveUpAbandoned.
WITH due AS (
    SELECT id
    FROM notification_deliveries
    WHERE status IN ('PENDING', 'SENDING')
      AND next_attempt_at <= now()
      AND channel = ANY (CAST(:channels AS text[]))
      AND (status = 'PENDING' OR (lease_until <= now() AND attempts < :maxAttempts))
    ORDER BY next_attempt_at, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
UPDATE notification_deliveries d
SET status = 'SENDING',
    attempts = d.attempts + 1,
    claimed_by = :notifierId,
    lease_until = now() + make_interval(secs => :leaseMillis / 1000.0),
    next_attempt_at = now() + make_interval(secs => :leaseMillis / 1000.0)
FROM due, notifications n
WHERE d.id = due.id
  AND n.id = d.notification_id
RETURNING d.id, d.notification_id, d.tenant_id, d.channel, d.address, d.attempts,
          n.recipient, n.type, n.title, n.proc_inst_id, n.task_id, n.created_at
