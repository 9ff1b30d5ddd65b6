-- One tenant's uploads of one id wait for each other; other tenants' uploads of that id do not (a
-- hash that collides only makes two uploads wait for each other).
SELECT pg_advisory_xact_lock(hashtextextended('proc_def:' || :tenantId || ':' || :id, 0))::text
