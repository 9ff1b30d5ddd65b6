-- Milliseconds until the notifier has work next, by the database's clock: 0 when a notification
-- waits to be expanded, else until the earliest next attempt of a delivery on :channels not ended
-- (a lease's end for SENDING ones), 0 when that has passed; null when there is nothing at all.
-- (greatest() ignores a null argument, so an empty min() must stay null outside it: else an idle
-- notifier is told its next work is due now, and loops without sleeping.)
SELECT CASE
           WHEN EXISTS (SELECT 1 FROM notifications WHERE status = 'PENDING') THEN 0
           ELSE (SELECT CASE
                            WHEN min(next_attempt_at) IS NULL THEN NULL
                            ELSE greatest(0, ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000))::bigint
                        END
                 FROM notification_deliveries
                 WHERE status IN ('PENDING', 'SENDING')
                   AND channel = ANY (CAST(:channels AS text[])))
       END
