INSERT INTO proc_def (id, version, name, definition)
SELECT :id, coalesce(max(version), 0) + 1, :name, :definition
FROM proc_def
WHERE id = :id
RETURNING version
