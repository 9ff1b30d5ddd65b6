SELECT * FROM todolist WHERE proc_inst_id = :procInstId ORDER BY id
