-- The claim: up to :limit of the most urgent due tasks (one per free slot of the pod), each with
-- its task_claimed event and the instance it belongs to, in one statement that commits alone (one
-- round trip per claim, however many tasks it takes). The subquery locks due rows that no other
-- transaction holds (FOR UPDATE SKIP LOCKED, served by the partial index todolist_claimable), so
-- concurrent pods never receive the same row; the UPDATE gives each a fresh claim token and lease.
-- The ids go to the UPDATE as an array (id = ANY), not joined: an UPDATE ... FROM copies each
-- joined row whole for its recheck machinery, which showed in the profile.
-- The instance's columns come prefixed i_. No NOTIFY here: the caller sends the events
-- notification after the commit (see Notifier).
--
-- :limit is written into the statement's text, not bound: with a LIMIT parameter PostgreSQL plans
-- the statement again on every run (its generic plan looks costlier than a custom one), and that
-- planning cost three times the claim itself (measured with pgbench -M prepared).
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
        WHERE status IN ('PENDING', 'FAILED')
          AND run_after <= now()
        ORDER BY priority, run_after, id
        FOR UPDATE SKIP LOCKED
        LIMIT :limit
    ))
    RETURNING *
), event AS (
    INSERT INTO events (proc_inst_id, task_id, type, payload)
    SELECT proc_inst_id, id, 'task_claimed',
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
