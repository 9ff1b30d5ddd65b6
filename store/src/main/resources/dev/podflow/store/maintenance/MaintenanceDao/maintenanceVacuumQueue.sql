-- Removes todolist's dead row versions and, with them, the dead entries of its indexes, so the
-- claim's index scan, which starts at the most urgent end where claimed tasks leave their entries,
-- does not step over them. INDEX_CLEANUP ON: by default VACUUM may skip the indexes when few heap
-- pages hold dead rows, which would leave exactly those entries. SKIP_LOCKED: another VACUUM, an
-- ANALYZE or a migration holding the table makes this one a no-op rather than a wait. TRUNCATE
-- false: returning empty trailing pages to the OS takes an exclusive lock that would stall claims.
-- Runs outside a transaction, as VACUUM must.
VACUUM (SKIP_LOCKED, INDEX_CLEANUP ON, TRUNCATE false) todolist
