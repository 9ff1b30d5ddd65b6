-- What KEDA's postgresql trigger scales the pods on (helm/podflow, autoscaling.mode keda): the due
-- PENDING and FAILED tasks of every tenant. FAILED counts too: with the pods scaled to zero nothing
-- else would pick up a retry. SECURITY DEFINER runs the count as the owner, whose policy sees
-- every tenant, so KEDA's login (granted podflow_metrics) gets a number, never a row.
CREATE FUNCTION podflow_due_tasks() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT count(*) FROM todolist WHERE status IN ('PENDING', 'FAILED') AND run_after <= now()
$$;

-- A security-definer function must not resolve names through its caller's search_path.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION podflow_due_tasks() SET search_path = %I, pg_temp', current_schema());
END
$$;

REVOKE ALL ON FUNCTION podflow_due_tasks() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION podflow_due_tasks() TO podflow_metrics;
