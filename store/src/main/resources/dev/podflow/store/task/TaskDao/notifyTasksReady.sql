SELECT pg_notify('podflow_tasks', '')::text
