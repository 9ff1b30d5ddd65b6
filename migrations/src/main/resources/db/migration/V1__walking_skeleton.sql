-- Podflow schema, version 1: process definitions, instances, the todolist queue, events, notifications.
-- Table and column names follow Process GPT's and are a contract for dashboards, KEDA queries and operators.

CREATE TABLE proc_def (
    id          text        NOT NULL,
    version     integer     NOT NULL,
    name        text        NOT NULL,
    definition  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version),
    CONSTRAINT proc_def_version_positive CHECK (version > 0)
);

CREATE TABLE bpm_proc_inst (
    id                uuid        PRIMARY KEY,
    proc_def_id       text        NOT NULL,
    proc_def_version  integer     NOT NULL,
    status            text        NOT NULL DEFAULT 'RUNNING',
    input             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    output            jsonb,
    initiator         text,
    tenant_id         text        NOT NULL DEFAULT 'default',
    idempotency_key   text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    FOREIGN KEY (proc_def_id, proc_def_version) REFERENCES proc_def (id, version),
    CONSTRAINT bpm_proc_inst_status_known
        CHECK (status IN ('RUNNING', 'WAITING', 'COMPLETED', 'ERROR', 'CANCELLED'))
);

-- An idempotency key names at most one instance per tenant.
CREATE UNIQUE INDEX bpm_proc_inst_idempotency_key
    ON bpm_proc_inst (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX bpm_proc_inst_status ON bpm_proc_inst (status, created_at);

CREATE TABLE todolist (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proc_inst_id      uuid        NOT NULL REFERENCES bpm_proc_inst (id),
    activity_id       text        NOT NULL,
    orchestrator      text        NOT NULL,
    status            text        NOT NULL DEFAULT 'PENDING',
    priority          integer     NOT NULL DEFAULT 0,
    run_after         timestamptz NOT NULL DEFAULT now(),
    attempts          integer     NOT NULL DEFAULT 0,
    max_attempts      integer     NOT NULL DEFAULT 3,
    claimed_by        text,
    claim_token       uuid,
    lease_expires_at  timestamptz,
    heartbeat_at      timestamptz,
    input             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    output            jsonb,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    CONSTRAINT todolist_status_known
        CHECK (status IN ('PENDING', 'IN_PROGRESS', 'WAITING', 'DONE', 'FAILED', 'DEAD', 'CANCELLED')),
    CONSTRAINT todolist_attempts_in_range CHECK (attempts >= 0 AND max_attempts > 0),
    CONSTRAINT todolist_claim_consistent
        CHECK (status <> 'IN_PROGRESS' OR (claim_token IS NOT NULL AND lease_expires_at IS NOT NULL))
);

-- The claim index: only rows a pod may pick (new or waiting for a retry), in claim order.
-- Finished rows never enter it, so the claim stays fast however long the history grows.
CREATE INDEX todolist_claimable ON todolist (priority, run_after, id)
    WHERE status IN ('PENDING', 'FAILED');
-- The rescuer's index: running tasks by lease expiry.
CREATE INDEX todolist_lease_expiry ON todolist (lease_expires_at) WHERE status = 'IN_PROGRESS';
CREATE INDEX todolist_proc_inst ON todolist (proc_inst_id, id);

CREATE TABLE events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proc_inst_id  uuid        NOT NULL REFERENCES bpm_proc_inst (id),
    task_id       bigint      REFERENCES todolist (id),
    type          text        NOT NULL,
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_proc_inst ON events (proc_inst_id, id);
CREATE INDEX events_task ON events (task_id) WHERE task_id IS NOT NULL;

-- The push outbox: a notifier sends PENDING rows (FCM) and records the outcome.
CREATE TABLE notifications (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proc_inst_id  uuid        REFERENCES bpm_proc_inst (id),
    task_id       bigint      REFERENCES todolist (id),
    recipient     text        NOT NULL,
    type          text        NOT NULL,
    title         text        NOT NULL,
    body          text        NOT NULL DEFAULT '',
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status        text        NOT NULL DEFAULT 'PENDING',
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    CONSTRAINT notifications_status_known CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'DEAD'))
);
CREATE INDEX notifications_pending ON notifications (id) WHERE status = 'PENDING';

-- Devices a recipient receives pushes on.
CREATE TABLE device_tokens (
    token       text        PRIMARY KEY,
    recipient   text        NOT NULL,
    platform    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_tokens_recipient ON device_tokens (recipient);
