SELECT pg_advisory_xact_lock(hashtextextended('proc_def:' || :id, 0))::text
