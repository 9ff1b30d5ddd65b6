-- Notifications that arrive (issue 16): the people of a tenant (users), their devices, and one
-- delivery per device or email address of each notification, which the notifier claims, sends
-- and records.
--
-- A notification row (the outbox, written in the transaction of the step that causes it) is
-- PENDING until a notifier expands it into deliveries for the recipient's active devices and
-- email address (DELIVERING), then SENT once every delivery has ended and one was sent, FAILED
-- when every delivery ended without one, or UNDELIVERABLE when the recipient had no device and no
-- email address then. It stays readable in the API (read_at) whatever its deliveries did.

-- 1. Users: filled by `./podflow keys create --user` and by JWT sign-ins; the API sets the email
--    address and display name. roles holds every role the user was seen with.
CREATE TABLE users (
    tenant_id    text        NOT NULL REFERENCES tenants (id),
    id           text        NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    roles        text[]      NOT NULL DEFAULT '{}'
                             CHECK (roles <@ ARRAY['user', 'operator', 'admin']::text[]),
    email        text        CHECK (email IS NULL OR (length(email) <= 320 AND email LIKE '%_@_%')),
    display_name text        CHECK (display_name IS NULL OR length(display_name) <= 200),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- 2. Devices: many per user (recipient = the user's id); a token FCM reports dead is retired, not
--    deleted, so the reason stays visible. A token registered again (a phone changing hands) moves
--    to its new user and is active again.
ALTER TABLE device_tokens
    ADD COLUMN retired_at     timestamptz,
    ADD COLUMN retired_reason text,
    ADD COLUMN last_sent_at   timestamptz,
    ADD CONSTRAINT device_tokens_platform_known
        CHECK (platform IS NULL OR platform IN ('android', 'ios', 'web'));
CREATE INDEX device_tokens_active ON device_tokens (tenant_id, recipient) WHERE retired_at IS NULL;

-- 3. Notifications: read flag and delivery states. A notifier expands a PENDING row into its
--    deliveries in one transaction (claimed with SKIP LOCKED; no outside call happens in it), and
--    the last delivery to end settles the row under the row's lock.
ALTER TABLE notifications
    ADD COLUMN read_at     timestamptz,
    ADD COLUMN finished_at timestamptz,
    DROP CONSTRAINT notifications_status_known,
    ADD CONSTRAINT notifications_status_known
        CHECK (status IN ('PENDING', 'DELIVERING', 'SENT', 'FAILED', 'UNDELIVERABLE', 'DEAD'));
CREATE INDEX notifications_recipient ON notifications (tenant_id, recipient, id DESC);
CREATE INDEX notifications_unread ON notifications (tenant_id, recipient, id DESC)
    WHERE read_at IS NULL;

-- 4. Deliveries: one per notification and channel address. A notifier claims due ones with SKIP
--    LOCKED under a lease; each claim counts an attempt, and the attempt number fences every later
--    write, so a notifier that lost its lease records nothing over the one that took over. A SENT
--    delivery is never claimed again.
CREATE TABLE notification_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id bigint      NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    channel         text        NOT NULL CHECK (channel IN ('fcm', 'email', 'log')),
    -- The device token (fcm), the email address (email) or the recipient (log).
    address         text        NOT NULL,
    status          text        NOT NULL DEFAULT 'PENDING'
                                CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'RETIRED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_by      text,
    lease_until     timestamptz,
    -- What the channel answered: FCM's message name, the SMTP message id.
    provider_id     text,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    finished_at     timestamptz,
    UNIQUE (notification_id, channel, address)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at, id)
    WHERE status IN ('PENDING', 'SENDING');
CREATE INDEX notification_deliveries_notification ON notification_deliveries (notification_id);

GRANT SELECT, INSERT, UPDATE ON users TO podflow_api;
GRANT SELECT ON users TO podflow_pod, podflow_notifier;
GRANT SELECT, UPDATE ON device_tokens TO podflow_notifier;
GRANT SELECT ON notification_deliveries TO podflow_api;
GRANT SELECT, INSERT, UPDATE ON notification_deliveries TO podflow_notifier;
GRANT SELECT ON notifications, notification_deliveries TO podflow_metrics;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'notification_deliveries'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_rows ON %I TO podflow_api'
            ' USING (tenant_id = current_setting(''podflow.tenant'', true))'
            ' WITH CHECK (tenant_id = current_setting(''podflow.tenant'', true))', t);
        EXECUTE format(
            'CREATE POLICY every_tenant ON %I TO podflow_pod, podflow_metrics, podflow_notifier'
            ' USING (true) WITH CHECK (true)', t);
        EXECUTE format(
            'CREATE POLICY owner_rows ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    END LOOP;
END
$$;

-- 5. Users for the keys issued so far with a user name, with the roles of those keys.
INSERT INTO users (tenant_id, id, roles)
SELECT tenant_id, user_name, array_agg(DISTINCT role)
FROM api_keys
WHERE user_name IS NOT NULL
GROUP BY tenant_id, user_name;
