INSERT INTO maintenance_runs AS r (name, last_run_at, last_run_by)
VALUES (:name, now(), :podId)
ON CONFLICT (name) DO UPDATE
SET last_run_at = now(),
    last_run_by = :podId
WHERE r.last_run_at <= now() - make_interval(secs => :everySeconds)
RETURNING name
