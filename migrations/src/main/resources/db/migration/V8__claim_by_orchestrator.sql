-- The claim of a pod started for some orchestrators only (PODFLOW_POD_ORCHESTRATORS): in claim
-- order within each orchestrator, so it reads its own due tasks however many due tasks of other
-- orchestrators wait before them in todolist_claimable (see HotSql/taskClaim.sql). Pods that run
-- every orchestrator keep claiming through todolist_claimable. Like that index, it holds only rows
-- a pod may pick, so finished rows never enter it.
CREATE INDEX todolist_claimable_by_orchestrator ON todolist (orchestrator, priority, run_after, id)
    WHERE status IN ('PENDING', 'FAILED');
