-- A near-duplicate folds into the memory it repeats: the newer wording wins.
WITH duplicate AS (
    DELETE FROM memories WHERE id = :duplicateId RETURNING content, task_id
),
repointed AS (
    UPDATE task_feedback SET memory_id = :keptId WHERE memory_id = :duplicateId
)
UPDATE memories m
SET content = duplicate.content,
    task_id = coalesce(duplicate.task_id, m.task_id),
    embedding = CAST(:embedding AS real[]),
    embedding_model = :model,
    reembed = false,
    updated_at = now()
FROM duplicate
WHERE m.id = :keptId
