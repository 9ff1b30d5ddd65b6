-- Human steps: a task parked for a person (status WAITING) names who answers it and the JSON Schema
-- the answer must satisfy.
ALTER TABLE todolist
    ADD COLUMN assignee text,
    ADD COLUMN form     jsonb;

-- The inbox: waiting tasks, one person's or everyone's, in id order (the order of the ?after= pages).
-- Only WAITING rows enter these indexes, so they stay small however long the history grows.
CREATE INDEX todolist_inbox ON todolist (assignee, id) WHERE status = 'WAITING';
CREATE INDEX todolist_waiting ON todolist (id) WHERE status = 'WAITING';
