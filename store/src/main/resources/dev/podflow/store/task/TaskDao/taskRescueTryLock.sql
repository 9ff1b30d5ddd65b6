-- One rescuer at a time across the cluster; released when the transaction ends.
SELECT pg_try_advisory_xact_lock(hashtextextended('podflow:lease-rescuer', 0))
