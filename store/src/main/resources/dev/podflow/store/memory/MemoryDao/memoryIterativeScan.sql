-- In this transaction, an HNSW scan whose first candidates the filters (tenant, agent, user)
-- reject goes on scanning instead of returning fewer rows than asked (pgvector 0.8).
SET LOCAL hnsw.iterative_scan = 'relaxed_order'
