-- The instance's DONE tasks (every pass) in completion order, with the activity's name from the definition
-- version the instance pinned (the stored definition is normalized: name defaults to the id).
SELECT t.id AS task_id,
       t.activity_id,
       t.pass,
       a.name AS activity_name,
       t.output,
       t.finished_at
FROM todolist t
JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
LEFT JOIN proc_def d
       ON d.tenant_id = i.tenant_id AND d.id = i.proc_def_id AND d.version = i.proc_def_version
LEFT JOIN LATERAL (
    SELECT e ->> 'name' AS name
    FROM jsonb_array_elements(d.definition -> 'activities') e
    WHERE e ->> 'id' = t.activity_id
    LIMIT 1
) a ON true
WHERE t.proc_inst_id = :procInstId
  AND t.status = 'DONE'
ORDER BY t.finished_at NULLS LAST, t.id
