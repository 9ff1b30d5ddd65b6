-- Records a sent delivery, fenced by its attempt: a notifier whose lease another one took over
-- matches nothing. The device's last_sent_at follows. Returns the notification, to settle.
WITH sent AS (
    UPDATE notification_deliveries
    SET status = 'SENT',
        provider_id = :providerId,
        last_error = NULL,
        lease_until = NULL,
        sent_at = now(),
        finished_at = now()
    WHERE id = :id
      AND attempts = :attempt
      AND status = 'SENDING'
    RETURNING notification_id, tenant_id, channel, address
),
device AS (
    UPDATE device_tokens t
    SET last_sent_at = now()
    FROM sent
    WHERE sent.channel = 'fcm'
      AND t.token = sent.address
      AND t.tenant_id = sent.tenant_id
)
SELECT notification_id FROM sent
