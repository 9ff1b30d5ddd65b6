-- Makes a PENDING task that still holds this wake token hash due now (V18's function).
SELECT podflow_wake_task(:id, :wakeTokenHash)
