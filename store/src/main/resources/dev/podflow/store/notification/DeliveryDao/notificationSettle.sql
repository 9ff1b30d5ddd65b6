-- Settles the notifications among :ids whose deliveries have all ended: SENT when one was sent,
-- else FAILED. Run under notificationLockDelivering's locks. Returns the statuses written.
WITH ended AS (
    SELECT d.notification_id,
           bool_or(d.status = 'SENT') AS any_sent,
           min(d.sent_at) AS first_sent_at
    FROM notification_deliveries d
    WHERE d.notification_id = ANY (CAST(:ids AS bigint[]))
    GROUP BY d.notification_id
    HAVING bool_and(d.status IN ('SENT', 'FAILED', 'RETIRED'))
)
UPDATE notifications n
SET status = CASE WHEN ended.any_sent THEN 'SENT' ELSE 'FAILED' END,
    sent_at = ended.first_sent_at,
    finished_at = now()
FROM ended
WHERE n.id = ended.notification_id
  AND n.status = 'DELIVERING'
RETURNING n.status
