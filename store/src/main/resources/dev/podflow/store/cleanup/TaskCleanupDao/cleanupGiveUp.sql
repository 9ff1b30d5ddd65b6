UPDATE task_cleanups SET finished_at = now(), last_error = :error WHERE id = :id
