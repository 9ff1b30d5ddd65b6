-- Claims up to :limit PENDING notifications, oldest first, skipping those another notifier holds,
-- and in the same statement gives each one delivery per address on the channels in :channels: 'fcm'
-- per active device token of the recipient, 'email' for the recipient's address, 'log' once.
-- Each ends DELIVERING, or UNDELIVERABLE (finished) when it got no delivery. Locks the claimed
-- notifications only; no outside call happens in this transaction.
WITH claimed AS (
    SELECT id, tenant_id, recipient
    FROM notifications
    WHERE status = 'PENDING'
    ORDER BY id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
),
addresses AS (
    SELECT c.id AS notification_id, c.tenant_id, 'fcm' AS channel, d.token AS address
    FROM claimed c
    JOIN device_tokens d
      ON d.tenant_id = c.tenant_id
     AND d.recipient = c.recipient
     AND d.retired_at IS NULL
    WHERE 'fcm' = ANY (CAST(:channels AS text[]))
    UNION ALL
    SELECT c.id, c.tenant_id, 'email', u.email
    FROM claimed c
    JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.recipient
    WHERE 'email' = ANY (CAST(:channels AS text[]))
      AND u.email IS NOT NULL
    UNION ALL
    SELECT c.id, c.tenant_id, 'log', c.recipient
    FROM claimed c
    WHERE 'log' = ANY (CAST(:channels AS text[]))
),
inserted AS (
    INSERT INTO notification_deliveries (notification_id, tenant_id, channel, address)
    SELECT notification_id, tenant_id, channel, address
    FROM addresses
    ORDER BY notification_id, channel, address
    ON CONFLICT (notification_id, channel, address) DO NOTHING
)
UPDATE notifications n
SET status = CASE WHEN a.notification_id IS NULL THEN 'UNDELIVERABLE' ELSE 'DELIVERING' END,
    finished_at = CASE WHEN a.notification_id IS NULL THEN now() END
FROM claimed c
LEFT JOIN (SELECT DISTINCT notification_id FROM addresses) a ON a.notification_id = c.id
WHERE n.id = c.id
RETURNING n.status
