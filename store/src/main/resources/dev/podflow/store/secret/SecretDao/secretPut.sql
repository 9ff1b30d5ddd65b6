INSERT INTO tenant_secrets (tenant_id, name, ciphertext)
VALUES (:tenantId, :name, :ciphertext)
ON CONFLICT (tenant_id, name) DO UPDATE
SET ciphertext = excluded.ciphertext,
    updated_at = now()
RETURNING (xmax = 0) AS inserted
