-- The claim: up to :limit of the most urgent due tasks (one per free slot of the pod) of the
-- orchestrators the pod runs (see "Which tasks" below), each with its task_claimed event and the
-- instance it belongs to, in one statement that commits alone (one round trip per claim, however
-- many tasks it takes). The subqueries lock due rows that no other transaction holds (FOR UPDATE
-- SKIP LOCKED, served by a partial index on claimable rows), so concurrent pods never receive the
-- same row; the UPDATE gives each a fresh claim token and lease.
-- The ids go to the UPDATE as an array (id = ANY), not joined: an UPDATE ... FROM copies each
-- joined row whole for its recheck machinery, which showed in the profile.
-- The instance's columns come prefixed i_. No NOTIFY here: the caller sends the events
-- notification after the commit (see Notifier).
--
-- :limit is written into the statement's text, not bound: with a LIMIT parameter PostgreSQL plans
-- the statement again on every run (its generic plan looks costlier than a custom one), and that
-- planning cost three times the claim itself (measured with pgbench -M prepared).
--
-- Which tasks: :anyOrchestrator, written into the text like :limit, is true for a pod that runs
-- every orchestrator it has (the default): the first ARRAY takes the most urgent due tasks of any
-- orchestrator from todolist_claimable, and the planner folds the second ARRAY away (a one-time
-- false filter), so the claim is the same index scan as ever. A task whose orchestrator the pod
-- lacks is claimed too, and fails clearly. For a pod started for some orchestrators only
-- (PODFLOW_POD_ORCHESTRATORS) it is false: the first ARRAY is folded away, and the second scans
-- todolist_claimable_by_orchestrator (V8) once per :orchestrators entry, in claim order within it,
-- so due tasks of other orchestrators, however many, are never read. Each scan locks up to :limit
-- rows and the most urgent :limit of them are claimed; the others (with k orchestrators, at most
-- (k - 1) x :limit) stay locked until this statement commits, a moment in which other pods skip
-- them.
--
-- The claim commits asynchronously (synchronous_commit off for this transaction only): it does
-- not wait for its WAL flush. A claim that a server crash loses is a lease that never was: the
-- task is PENDING again and runs again, and the pod that held it writes nothing, because every
-- write that ends a claim is fenced by its token (the same as a rescued lease). The completion,
-- which records the work, commits synchronously, and its flush makes the claim durable too.
WITH claimed AS (
    UPDATE todolist
    SET status = 'IN_PROGRESS',
        claimed_by = :podId,
        claim_token = gen_random_uuid(),
        attempts = attempts + 1,
        started_at = now(),
        heartbeat_at = now(),
        lease_expires_at = now() + make_interval(secs => :leaseSeconds)
    WHERE id = ANY (ARRAY(
        SELECT id
        FROM todolist
        WHERE :anyOrchestrator
          AND status IN ('PENDING', 'FAILED')
          AND run_after <= now()
        ORDER BY priority, run_after, id
        FOR UPDATE SKIP LOCKED
        LIMIT :limit
    ) || ARRAY(
        SELECT due.id
        FROM unnest(:orchestrators::text[]) AS kind(orchestrator)
        CROSS JOIN LATERAL (
            SELECT id, priority, run_after
            FROM todolist
            WHERE status IN ('PENDING', 'FAILED')
              AND orchestrator = kind.orchestrator
              AND run_after <= now()
            ORDER BY priority, run_after, id
            FOR UPDATE SKIP LOCKED
            LIMIT :limit
        ) due
        WHERE NOT :anyOrchestrator
        ORDER BY due.priority, due.run_after, due.id
        LIMIT :limit
    ))
    RETURNING *
), event AS (
    INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)
    SELECT proc_inst_id, tenant_id, id, 'task_claimed',
           jsonb_build_object('activityId', activity_id, 'podId', claimed_by, 'attempt', attempts)
    FROM claimed
    ORDER BY priority, run_after, id
), async_commit AS (
    SELECT set_config('synchronous_commit', 'off', true)
)
SELECT claimed.*,
       i.id AS i_id,
       i.proc_def_id AS i_proc_def_id,
       i.proc_def_version AS i_proc_def_version,
       i.status AS i_status,
       i.input AS i_input,
       i.output AS i_output,
       i.initiator AS i_initiator,
       i.tenant_id AS i_tenant_id,
       i.idempotency_key AS i_idempotency_key,
       i.created_at AS i_created_at,
       i.updated_at AS i_updated_at,
       i.finished_at AS i_finished_at,
       i.parent_task_id AS i_parent_task_id
FROM claimed
JOIN bpm_proc_inst i ON i.id = claimed.proc_inst_id
CROSS JOIN async_commit
ORDER BY claimed.priority, claimed.run_after, claimed.id
