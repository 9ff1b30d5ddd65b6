UPDATE memories
SET embedding = CAST(:embedding AS real[]),
    embedding_model = :model,
    reembed = false,
    embed_error = NULL,
    updated_at = now()
WHERE id = :id
