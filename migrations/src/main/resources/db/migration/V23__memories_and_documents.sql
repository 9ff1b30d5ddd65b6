-- What agents learn (issue 15): memories (a person's correction, knowledge an admin teaches, an
-- observation) and documents cut into chunks, each with an embedding for recall. Rows are written
-- without one; a pod embeds them (bulk embedding never runs in the API) and records the model.
--
-- Embeddings are real[] so that the same schema works on a server without pgvector (the demo's
-- embedded PostgreSQL), where recall is an exact cosine search; where the extension exists, an
-- HNSW index on embedding::vector(384) serves the nearest-neighbour search (the DO block at the
-- end; 384 is the dimension of the default model, all-MiniLM-L6-v2, and of every model Podflow
-- accepts).

CREATE TABLE memories (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    agent_id        text        NOT NULL,
    -- A user's correction shapes only that user's runs until an operator promotes it (user_id
    -- set to null); null = the whole agent.
    user_id         text,
    -- Recalled only in instances of this definition; null = every definition.
    definition_id   text,
    source          text        NOT NULL CHECK (source IN ('feedback', 'knowledge', 'observation')),
    content         text        NOT NULL CHECK (length(content) BETWEEN 1 AND 8000),
    -- The task it came from (feedback), or null.
    task_id         bigint,
    created_by      text        NOT NULL,
    embedding       real[]      CHECK (array_length(embedding, 1) = 384),
    embedding_model text,
    -- Set by `./podflow memory reembed` after a model change: embedded again by a pod, recalled
    -- with the old embedding until then.
    reembed         boolean     NOT NULL DEFAULT false,
    embed_attempts  integer     NOT NULL DEFAULT 0,
    embed_error     text,
    embed_after     timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX memories_agent ON memories (tenant_id, agent_id, id);
-- The pods' embedding queue: rows without an embedding or to embed again, oldest first.
CREATE INDEX memories_to_embed ON memories (embed_after, id) WHERE embedding IS NULL OR reembed;

-- A rating (and the correction, if any) a person gave a task's result.
CREATE TABLE task_feedback (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    task_id    bigint      NOT NULL,
    user_id    text        NOT NULL,
    rating     smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    correction text,
    memory_id  bigint      REFERENCES memories (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX task_feedback_task ON task_feedback (tenant_id, task_id);

-- A text or Markdown document; a pod splits it into chunks and embeds them (status QUEUED →
-- EMBEDDING → READY, or FAILED with the error), claimed with SKIP LOCKED under a lease like a task.
CREATE TABLE documents (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    -- Recalled by this agent only; null = every agent of the tenant.
    agent_id        text,
    title           text        NOT NULL,
    media_type      text        NOT NULL CHECK (media_type IN ('text/plain', 'text/markdown')),
    content         text        NOT NULL,
    status          text        NOT NULL DEFAULT 'QUEUED'
                                CHECK (status IN ('QUEUED', 'EMBEDDING', 'READY', 'FAILED')),
    chunks          integer,
    chunks_embedded integer     NOT NULL DEFAULT 0,
    error           text,
    attempts        integer     NOT NULL DEFAULT 0,
    claimed_by      text,
    lease_until     timestamptz,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX documents_tenant ON documents (tenant_id, id);
CREATE INDEX documents_to_embed ON documents (id) WHERE status IN ('QUEUED', 'EMBEDDING');

CREATE TABLE document_chunks (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    ordinal         integer     NOT NULL,
    content         text        NOT NULL,
    embedding       real[]      NOT NULL CHECK (array_length(embedding, 1) = 384),
    embedding_model text        NOT NULL,
    UNIQUE (document_id, ordinal)
);

CREATE INDEX document_chunks_tenant ON document_chunks (tenant_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON memories, task_feedback, documents TO podflow_api;
GRANT SELECT, DELETE ON document_chunks TO podflow_api;
GRANT SELECT, UPDATE ON memories, documents TO podflow_pod;
GRANT SELECT, INSERT, DELETE ON document_chunks TO podflow_pod;
GRANT SELECT ON task_feedback TO podflow_pod;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['memories', 'task_feedback', 'documents', 'document_chunks'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_rows ON %I TO podflow_api'
            ' USING (tenant_id = current_setting(''podflow.tenant'', true))'
            ' WITH CHECK (tenant_id = current_setting(''podflow.tenant'', true))', t);
        EXECUTE format(
            'CREATE POLICY every_tenant ON %I TO podflow_pod USING (true) WITH CHECK (true)', t);
        EXECUTE format(
            'CREATE POLICY owner_rows ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    END LOOP;
END
$$;

-- The nearest-neighbour indexes, where pgvector is installed in this database (CREATE EXTENSION
-- vector, before migrating). Without it they are skipped and recall searches exactly.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
        EXECUTE 'CREATE INDEX memories_embedding ON memories'
                ' USING hnsw ((embedding::vector(384)) vector_cosine_ops)';
        EXECUTE 'CREATE INDEX document_chunks_embedding ON document_chunks'
                ' USING hnsw ((embedding::vector(384)) vector_cosine_ops)';
    ELSE
        RAISE NOTICE 'pgvector is not installed: memory recall will search exactly, without an index';
    END IF;
END
$$;

-- Cosine similarity of two embeddings, for the exact search (and the near-duplicate check) where
-- there is no pgvector; null when either is a zero vector. In double precision: products of small
-- components underflow real.
CREATE FUNCTION podflow_cosine(a real[], b real[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT sum(x * y) / nullif(sqrt(sum(x * x)) * sqrt(sum(y * y)), 0)
        FROM unnest(a::double precision[], b::double precision[]) AS t (x, y)
    $$;
