SELECT *
FROM todolist
WHERE parent_task_id = :parentTaskId
ORDER BY id
