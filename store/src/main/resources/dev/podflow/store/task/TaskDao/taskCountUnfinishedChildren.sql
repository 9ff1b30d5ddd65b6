-- Child tasks of a parent that are not DONE yet; served by todolist_children.
SELECT count(*)
FROM todolist
WHERE parent_task_id = :parentTaskId
  AND status <> 'DONE'
