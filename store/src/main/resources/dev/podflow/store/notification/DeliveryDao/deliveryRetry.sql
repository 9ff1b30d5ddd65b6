-- Records a failed attempt to try again after :delayMillis, or FAILED when it was attempt
-- :maxAttempts; fenced by the attempt. Returns the status written, if the fence held.
UPDATE notification_deliveries
SET status = CASE WHEN attempts >= :maxAttempts THEN 'FAILED' ELSE 'PENDING' END,
    last_error = :error,
    lease_until = NULL,
    next_attempt_at = now() + make_interval(secs => :delayMillis / 1000.0),
    finished_at = CASE WHEN attempts >= :maxAttempts THEN now() END
WHERE id = :id
  AND attempts = :attempt
  AND status = 'SENDING'
RETURNING status
