-- RESET ROLE: back to the login, the tables' owner.
SELECT set_config('role', 'none', false)
