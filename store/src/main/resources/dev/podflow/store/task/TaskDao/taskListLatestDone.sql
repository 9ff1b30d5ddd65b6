-- The latest DONE task of each activity of the instance, child tasks aside: what conditions read as
-- steps.<activity id>. Latest by finish, as the prompt history orders steps.
SELECT DISTINCT ON (activity_id) *
FROM todolist
WHERE proc_inst_id = :procInstId
  AND status = 'DONE'
  AND parent_task_id IS NULL
ORDER BY activity_id, finished_at DESC NULLS LAST, id DESC
