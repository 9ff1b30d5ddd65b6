-- The highest pass of an activity in an instance so far (child tasks not counted); 0 when none.
SELECT coalesce(max(pass), 0)
FROM todolist
WHERE proc_inst_id = :procInstId
  AND activity_id = :activityId
  AND parent_task_id IS NULL
