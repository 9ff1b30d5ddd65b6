-- Parks a claimed task: WAITING for what waiting_for names, with who answers it and the form the
-- answer must fit when a person does, and the orchestrator's checkpoint when it will run again.
-- The lease is cleared, so the rescuer never touches it and no pod holds it; the claim token stays,
-- as on every claim its holder ended (DONE, FAILED, DEAD), so a heartbeat racing the park still
-- finds its claim held. Fenced like every write that ends a claim.
UPDATE todolist
SET status = 'WAITING',
    waiting_for = :waitingFor,
    assignee = :assignee,
    form = :form,
    checkpoint = :checkpoint,
    lease_expires_at = NULL
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
