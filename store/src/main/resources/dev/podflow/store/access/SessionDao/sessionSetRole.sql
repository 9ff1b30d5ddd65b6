-- SET ROLE, with the role as a bound value (SET takes no parameters).
SELECT set_config('role', :role, false)
