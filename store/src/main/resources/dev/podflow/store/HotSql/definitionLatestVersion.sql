-- The latest version number of a definition id; NULL when it has none.
SELECT max(version)
FROM proc_def
WHERE id = :id
