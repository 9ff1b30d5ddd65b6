SELECT *
FROM events
WHERE proc_inst_id = :procInstId
  AND id > :afterId
ORDER BY id
LIMIT :limit
