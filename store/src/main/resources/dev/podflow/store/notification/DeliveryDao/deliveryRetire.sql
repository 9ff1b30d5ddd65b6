-- Records a delivery to an address that no longer exists (FCM: UNREGISTERED, a token-specific
-- INVALID_ARGUMENT, SENDER_ID_MISMATCH): RETIRED, fenced by the attempt, and the device token
-- retired at once, so no later notification is expanded to it. Returns the notification.
WITH retired AS (
    UPDATE notification_deliveries
    SET status = 'RETIRED',
        last_error = :reason,
        lease_until = NULL,
        finished_at = now()
    WHERE id = :id
      AND attempts = :attempt
      AND status = 'SENDING'
    RETURNING notification_id, tenant_id, channel, address
),
device AS (
    UPDATE device_tokens t
    SET retired_at = now(),
        retired_reason = :reason
    FROM retired
    WHERE retired.channel = 'fcm'
      AND t.token = retired.address
      AND t.tenant_id = retired.tenant_id
      AND t.retired_at IS NULL
)
SELECT notification_id FROM retired
