UPDATE a2a_push_configs
SET delivered_state = :state,
    attempts = 0,
    last_error = NULL,
    next_attempt_at = now()
WHERE id = :id
