-- Agent profiles: who an LLM step speaks as (persona), what it is told every time (instructions),
-- which model it uses (NULL = the pod's configured model) and which tools it may call.
CREATE TABLE agents (
    id            text        PRIMARY KEY,
    name          text        NOT NULL,
    persona       text        NOT NULL DEFAULT '',
    instructions  text        NOT NULL DEFAULT '',
    model         text,
    tools         jsonb       NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(tools) = 'array'),
    orchestrator  text        NOT NULL DEFAULT 'llm-action',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
