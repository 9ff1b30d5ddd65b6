-- Dead row versions in todolist as PostgreSQL's statistics count them (each backend reports its
-- own at most a second or so after its commits), and whether this role may VACUUM the table (its
-- owner, the database's owner or a superuser).
SELECT COALESCE(s.n_dead_tup, 0) AS dead_rows,
       pg_has_role(c.relowner, 'MEMBER')
           OR pg_has_role(d.datdba, 'MEMBER')
           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS may_vacuum
FROM pg_class c
JOIN pg_database d ON d.datname = current_database()
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.oid = CAST('todolist' AS regclass)
