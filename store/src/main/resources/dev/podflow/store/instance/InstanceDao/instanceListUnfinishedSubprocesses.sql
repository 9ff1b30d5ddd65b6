SELECT child.id
FROM bpm_proc_inst child
JOIN todolist parent_task ON parent_task.id = child.parent_task_id
WHERE parent_task.proc_inst_id = :procInstId
  AND child.status IN ('RUNNING', 'WAITING')
ORDER BY child.created_at
