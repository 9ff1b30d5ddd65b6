-- Whether the claim token still names this task's latest claim: true for a claim in progress and
-- for one its holder just finished (DONE, FAILED and DEAD keep the token); false once the task was
-- rescued, handed back, cancelled or claimed again.
SELECT coalesce((SELECT claim_token = :claimToken FROM todolist WHERE id = :id), false)
