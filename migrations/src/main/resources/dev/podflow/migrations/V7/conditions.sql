-- Every "when" of every stored definition version, with where it sits: activity i, transition j
-- (both 0-based, as jsonb paths count).
SELECT d.id,
       d.version,
       a.i - 1 AS activity,
       n.j - 1 AS transition,
       n.t ->> 'when' AS condition
FROM proc_def d
CROSS JOIN LATERAL jsonb_array_elements(d.definition -> 'activities') WITH ORDINALITY a(activity, i)
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(a.activity -> 'next') = 'array' THEN a.activity -> 'next' ELSE '[]' END
) WITH ORDINALITY n(t, j)
WHERE jsonb_typeof(n.t -> 'when') = 'string'
ORDER BY d.id, d.version, a.i, n.j
