UPDATE memories
SET embed_error = :error,
    embed_after = now() + make_interval(secs => :delaySeconds)
WHERE id = :id
  AND (embedding IS NULL OR reembed)
