-- Approvals before risky tool calls (issue 13): an agent's call to a tool that needs a person's
-- approval parks its task WAITING for APPROVAL. Such tasks are in the inbox like those waiting for
-- a person's answer, so the inbox's partial indexes (V12) take them in.
ALTER TABLE todolist DROP CONSTRAINT todolist_waiting_for_known;
ALTER TABLE todolist ADD CONSTRAINT todolist_waiting_for_known
    CHECK (waiting_for IN ('PERSON', 'ANSWER', 'APPROVAL', 'CHILDREN', 'SUBPROCESS', 'JOIN'));

DROP INDEX todolist_inbox;
DROP INDEX todolist_waiting;
CREATE INDEX todolist_inbox ON todolist (assignee, created_at DESC, id DESC)
    WHERE status = 'WAITING' AND waiting_for IN ('PERSON', 'ANSWER', 'APPROVAL');
CREATE INDEX todolist_waiting ON todolist (created_at DESC, id DESC)
    WHERE status = 'WAITING' AND waiting_for IN ('PERSON', 'ANSWER', 'APPROVAL');
