-- Delivered: a final state never changes again, so its webhook is never claimed again (the claim
-- would otherwise re-read the finished process every second); any other is watched for the next.
UPDATE a2a_push_configs
SET delivered_state = :state,
    attempts = 0,
    last_error = NULL,
    next_attempt_at = CASE WHEN :state IN ('completed', 'failed', 'canceled')
                           THEN 'infinity'::timestamptz ELSE now() END
WHERE id = :id
