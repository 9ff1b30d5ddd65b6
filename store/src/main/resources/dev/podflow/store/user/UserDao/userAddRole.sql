-- Makes sure the tenant and its user exist, with :role among the user's roles (kept sorted). The
-- tenant may be new: a JWT's. Neither row is written when it is there already.
WITH tenant AS (
    INSERT INTO tenants (id)
    VALUES (:tenantId)
    ON CONFLICT (id) DO NOTHING
)
INSERT INTO users AS u (tenant_id, id, roles)
VALUES (:tenantId, :userId, ARRAY[CAST(:role AS text)])
ON CONFLICT (tenant_id, id) DO UPDATE
    SET roles = ARRAY(SELECT DISTINCT r FROM unnest(u.roles || EXCLUDED.roles) AS r ORDER BY r),
        updated_at = now()
    WHERE NOT u.roles @> EXCLUDED.roles
