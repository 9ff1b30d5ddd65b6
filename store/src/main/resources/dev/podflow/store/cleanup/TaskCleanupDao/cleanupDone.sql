UPDATE task_cleanups SET finished_at = now(), last_error = NULL WHERE id = :id
