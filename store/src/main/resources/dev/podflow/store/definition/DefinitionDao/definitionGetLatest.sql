SELECT * FROM proc_def WHERE id = :id ORDER BY version DESC LIMIT 1
