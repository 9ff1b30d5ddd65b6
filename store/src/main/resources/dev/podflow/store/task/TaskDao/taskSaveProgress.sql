-- A running task's progress checkpoint (an agent's conversation after each model answer and tool
-- result), kept beside what a park stored (state, answer) so that the attempt after a crash resumes
-- from it. Fenced like every write of a claim holder.
UPDATE todolist
SET checkpoint = jsonb_set(coalesce(checkpoint, '{}'::jsonb), '{progress}', :progress)
WHERE id = :id
  AND claim_token = :claimToken
  AND status = 'IN_PROGRESS'
