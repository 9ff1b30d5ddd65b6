SELECT count(*)
FROM todolist
WHERE proc_inst_id = :procInstId
  AND status NOT IN ('DONE', 'DEAD', 'CANCELLED')
