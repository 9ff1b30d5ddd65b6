-- The row of a join activity still waiting for branches in this instance, if one has arrived.
SELECT *
FROM todolist
WHERE proc_inst_id = :procInstId
  AND activity_id = :activityId
  AND status = 'WAITING'
  AND waiting_for = 'JOIN'
