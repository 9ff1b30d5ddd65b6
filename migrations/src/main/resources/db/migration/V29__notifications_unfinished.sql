-- The notifiers sample how many notifications are not finished yet (PENDING or DELIVERING) and how
-- old the oldest is (their outbox gauges); this index keeps that sample small however many finished
-- notifications the retention keeps.
CREATE INDEX notifications_unfinished ON notifications (created_at)
    WHERE status IN ('PENDING', 'DELIVERING');
