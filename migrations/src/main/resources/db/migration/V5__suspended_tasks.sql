-- Tasks that wait for something other than a pod. A WAITING task says what it waits for:
--   PERSON      a person's answer, which becomes the task's output (the human orchestrator);
--   ANSWER      a person's answer to a question the task's agent asked (the ask_human tool); the
--               answer resumes the task, which runs again from its checkpoint;
--   CHILDREN    its child tasks (parent_task_id = its id); the last of them to finish resumes it;
--   SUBPROCESS  a sub-process instance (bpm_proc_inst.parent_task_id = its id), whose output
--               completes the task;
--   JOIN        the branches that can still reach this join activity; it becomes PENDING once none
--               is left.
ALTER TABLE todolist
    ADD COLUMN waiting_for    text,
    ADD COLUMN checkpoint     jsonb,
    ADD COLUMN parent_task_id bigint REFERENCES todolist (id);
UPDATE todolist SET waiting_for = 'PERSON' WHERE status = 'WAITING';
ALTER TABLE todolist
    ADD CONSTRAINT todolist_waiting_for_known
        CHECK (waiting_for IN ('PERSON', 'ANSWER', 'CHILDREN', 'SUBPROCESS', 'JOIN')),
    ADD CONSTRAINT todolist_waiting_says_what_for
        CHECK (status <> 'WAITING' OR waiting_for IS NOT NULL);
CREATE INDEX todolist_children ON todolist (parent_task_id) WHERE parent_task_id IS NOT NULL;

-- A sub-process instance names the task that started it; that task completes with its output.
ALTER TABLE bpm_proc_inst
    ADD COLUMN parent_task_id bigint REFERENCES todolist (id) ON DELETE SET NULL;
CREATE INDEX bpm_proc_inst_parent_task ON bpm_proc_inst (parent_task_id)
    WHERE parent_task_id IS NOT NULL;
