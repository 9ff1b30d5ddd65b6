-- Notifications not finished yet (PENDING or DELIVERING) and the age in seconds of the oldest.
SELECT count(*) AS depth,
       coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest_age_seconds
FROM notifications
WHERE status IN ('PENDING', 'DELIVERING')
