-- Loops: an activity a guarded transition leads back to runs again, one todolist row per pass.
-- pass numbers an activity's rows within its instance (1, 2, …); child tasks carry their parent's.
ALTER TABLE todolist
    ADD COLUMN pass integer NOT NULL DEFAULT 1,
    ADD CONSTRAINT todolist_pass_positive CHECK (pass > 0);
