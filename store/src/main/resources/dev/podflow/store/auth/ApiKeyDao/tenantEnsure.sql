-- Creates the tenant unless it exists; true when it was created now.
INSERT INTO tenants (id)
VALUES (:tenantId)
ON CONFLICT (id) DO NOTHING
RETURNING true
