-- How an agent recalls (issue 15): null = as the pod's PODFLOW_MEMORY_* settings say; else an
-- object that turns recall off ({"recall": false}) or narrows it (topK, minScore, tokenBudget,
-- sources, documents; RecallProfile in the memory module checks and applies it).
ALTER TABLE agents ADD COLUMN memory jsonb CHECK (memory IS NULL OR jsonb_typeof(memory) = 'object');
