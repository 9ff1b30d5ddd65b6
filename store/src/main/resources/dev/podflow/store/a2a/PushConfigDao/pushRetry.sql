UPDATE a2a_push_configs
SET last_error = :error,
    next_attempt_at = now() + make_interval(secs => :delaySeconds)
WHERE id = :id
