-- Records a delivery that no retry can help (a malformed message, a platform's credentials
-- missing): FAILED, fenced by the attempt. Returns the notification, to settle.
UPDATE notification_deliveries
SET status = 'FAILED',
    last_error = :error,
    lease_until = NULL,
    finished_at = now()
WHERE id = :id
  AND attempts = :attempt
  AND status = 'SENDING'
RETURNING notification_id
