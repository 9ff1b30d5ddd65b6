-- Cluster-wide schedule of maintenance passes (lease rescue, pruning): every pod runs the loops,
-- and a pass runs only when its row says the interval has passed, so the cluster acts once per interval.
CREATE TABLE maintenance_runs (
    name         text        PRIMARY KEY,
    last_run_at  timestamptz NOT NULL,
    last_run_by  text
);

-- Pruning finds finished instances by age and deletes their rows by instance.
CREATE INDEX bpm_proc_inst_finished ON bpm_proc_inst (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX notifications_proc_inst ON notifications (proc_inst_id) WHERE proc_inst_id IS NOT NULL;
