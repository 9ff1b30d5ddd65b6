-- How long the longest-waiting due task (PENDING or FAILED, run_after passed) has waited, in
-- seconds; 0 when none is due. Served by the claim's partial index on claimable rows.
SELECT coalesce(extract(EPOCH FROM now() - min(run_after)), 0)::float8
FROM todolist
WHERE status IN ('PENDING', 'FAILED')
  AND run_after <= now()
