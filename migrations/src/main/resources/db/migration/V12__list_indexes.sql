-- The list endpoints (GET /api/v1/processes, /tasks, /definitions, /definitions/{id}/versions,
-- /agents) page newest first by (created_at, id) with a keyset cursor: a page is the rows before the
-- previous page's last (created_at, id), in that order, up to the limit. Each index below returns
-- the rows of one such list in exactly that order, starting at the cursor, so a page reads about
-- :limit index entries however deep it is and however many rows match, and never sorts them.

-- An operator's view of its tenant: every instance.
CREATE INDEX bpm_proc_inst_tenant_created
    ON bpm_proc_inst (tenant_id, created_at DESC, id DESC);
-- ... of one status (?status=ERROR: the few failed among a million completed).
CREATE INDEX bpm_proc_inst_tenant_status_created
    ON bpm_proc_inst (tenant_id, status, created_at DESC, id DESC);
-- ... of one definition (?definitionId=).
CREATE INDEX bpm_proc_inst_tenant_definition_created
    ON bpm_proc_inst (tenant_id, proc_def_id, created_at DESC, id DESC);
-- ... started by one initiator: every user's own list (it always has this filter) and ?initiator=.
CREATE INDEX bpm_proc_inst_tenant_initiator_created
    ON bpm_proc_inst (tenant_id, initiator, created_at DESC, id DESC);

-- The inbox, newest first instead of in id order (V4). Only tasks waiting for a person enter it
-- (not those waiting for a join, children or a sub-process, which the inbox never shows), so it
-- stays small however long the history grows: one person's, and everyone's.
DROP INDEX todolist_inbox;
DROP INDEX todolist_waiting;
CREATE INDEX todolist_inbox ON todolist (assignee, created_at DESC, id DESC)
    WHERE status = 'WAITING' AND waiting_for IN ('PERSON', 'ANSWER');
CREATE INDEX todolist_waiting ON todolist (created_at DESC, id DESC)
    WHERE status = 'WAITING' AND waiting_for IN ('PERSON', 'ANSWER');

-- The definitions in their latest versions (each older version is skipped on the way), and one
-- definition's versions.
CREATE INDEX proc_def_created ON proc_def (created_at DESC, id DESC);
CREATE INDEX proc_def_versions ON proc_def (id, created_at DESC, version DESC);

-- The agents.
CREATE INDEX agents_created ON agents (created_at DESC, id DESC);
