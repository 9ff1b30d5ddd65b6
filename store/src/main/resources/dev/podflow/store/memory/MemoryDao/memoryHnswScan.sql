-- In this transaction, HNSW scans keep a candidate list of :efSearch (pgvector's default 40 found
-- 0.85 of the exact ten nearest at 100,000 memories in the bench), and a scan whose first
-- candidates the filters (tenant, agent, user) reject goes on scanning instead of returning fewer
-- rows than asked (pgvector 0.8's iterative scan).
SELECT set_config('hnsw.ef_search', CAST(:efSearch AS text), true),
       set_config('hnsw.iterative_scan', 'relaxed_order', true)
