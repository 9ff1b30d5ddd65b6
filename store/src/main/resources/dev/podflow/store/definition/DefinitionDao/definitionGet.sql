SELECT * FROM proc_def WHERE id = :id AND version = :version
