-- The inbox: tasks WAITING for a person, after the given id, of one assignee or (assignee null) of
-- everyone, oldest first. Served by todolist_inbox or todolist_waiting.
SELECT *
FROM todolist
WHERE status = 'WAITING'
  AND waiting_for IN ('PERSON', 'ANSWER')
  AND (CAST(:assignee AS text) IS NULL OR assignee = :assignee)
  AND id > :afterId
ORDER BY id
LIMIT :limit
