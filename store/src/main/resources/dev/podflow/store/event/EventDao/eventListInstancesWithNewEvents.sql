-- Which of the instances have events with an id above their own mark (:procInstIds and :afterIds
-- are parallel arrays): one probe of the (proc_inst_id, id) index per instance.
SELECT f.proc_inst_id
FROM unnest(CAST(:procInstIds AS uuid[]), CAST(:afterIds AS bigint[])) AS f(proc_inst_id, after_id)
WHERE EXISTS (
    SELECT 1
    FROM events e
    WHERE e.proc_inst_id = f.proc_inst_id
      AND e.id > f.after_id
)
