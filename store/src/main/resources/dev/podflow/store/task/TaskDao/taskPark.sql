-- Parks a claimed task for a person: WAITING, with who answers it and the form the answer must fit.
-- The lease is cleared, so the rescuer never touches it and no pod holds it; the claim token stays,
-- as on every claim its holder ended (DONE, FAILED, DEAD), so a heartbeat racing the park still
-- finds its claim held. Fenced like every write that ends a claim.
UPDATE todolist
SET status = 'WAITING',
    assignee = :assignee,
    form = :form,
    lease_expires_at = NULL
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
