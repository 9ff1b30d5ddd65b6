-- Which users have notifications above their own mark (:tenantIds, :userIds and :afterIds are
-- parallel arrays): one probe of notifications_recipient per user; their 0-based indexes.
SELECT CAST(f.k AS integer) - 1
FROM unnest(CAST(:tenantIds AS text[]), CAST(:userIds AS text[]), CAST(:afterIds AS bigint[]))
         WITH ORDINALITY AS f(tenant_id, recipient, after_id, k)
WHERE EXISTS (
    SELECT 1
    FROM notifications n
    WHERE n.tenant_id = f.tenant_id
      AND n.recipient = f.recipient
      AND n.id > f.after_id
)
