SELECT * FROM bpm_proc_inst WHERE id = :id
