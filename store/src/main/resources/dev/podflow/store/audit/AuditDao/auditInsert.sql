INSERT INTO audit_log (tenant_id, actor, action, subject, details)
VALUES (:tenantId, :actor, :action, :subject, :details)
