-- Whether the named pass is due: read-only, so the pods that ask while it is not (nearly all asks)
-- write nothing and wait for no commit; maintenanceRunClaim then decides among those that found it
-- due.
SELECT NOT EXISTS (
    SELECT 1
    FROM maintenance_runs
    WHERE name = :name
      AND last_run_at > now() - make_interval(secs => :everySeconds)
)
