-- Ends the deliveries on :channel whose claimer's lease ran out on their last attempt (a notifier
-- that died, or hung, every time): FAILED, not claimed again. Returns their notifications, to settle.
UPDATE notification_deliveries
SET status = 'FAILED',
    last_error = 'the lease of attempt ' || attempts || ' ran out and it was the last',
    lease_until = NULL,
    finished_at = now()
WHERE id IN (
    SELECT id
    FROM notification_deliveries
    WHERE status = 'SENDING'
      AND channel = :channel
      AND next_attempt_at <= now()
      AND lease_until <= now()
      AND attempts >= :maxAttempts
    ORDER BY id
    FOR UPDATE SKIP LOCKED)
RETURNING notification_id
