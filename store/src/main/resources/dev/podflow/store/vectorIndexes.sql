-- Run by Database.migrate after every migration run, so `./podflow migrate` also brings memory
-- search up to date with the server: where the pgvector extension is available it is
-- created (when this user may), and the HNSW indexes V23 could not create then are created now —
-- for a database first migrated before pgvector was installed. Without pgvector, nothing happens
-- and memory recall searches exactly (MemoryStore logs which).
DO $$
BEGIN
    -- One process at a time: CREATE ... IF NOT EXISTS is not safe against a concurrent creation.
    PERFORM pg_advisory_xact_lock(hashtext('podflow_vector_indexes'));
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        BEGIN
            CREATE EXTENSION vector;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pgvector is installed on the server but this user may not create the'
                ' extension: run CREATE EXTENSION vector as a superuser, then migrate again';
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
        CREATE INDEX IF NOT EXISTS memories_embedding ON memories
            USING hnsw ((embedding::vector(384)) vector_cosine_ops);
        CREATE INDEX IF NOT EXISTS document_chunks_embedding ON document_chunks
            USING hnsw ((embedding::vector(384)) vector_cosine_ops);
    END IF;
END
$$;
