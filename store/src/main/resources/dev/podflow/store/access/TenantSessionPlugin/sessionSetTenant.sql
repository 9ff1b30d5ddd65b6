-- The tenant the policies of migration V15 let this session see. Session-wide (not SET LOCAL):
-- the setting must also hold for statements outside a transaction. TenantSessionPlugin compares
-- it with the request's tenant every time a connection of the pool is taken and sets it when they
-- differ, so it never outlives the use it was set for.
SELECT set_config('podflow.tenant', :tenantId, false)
