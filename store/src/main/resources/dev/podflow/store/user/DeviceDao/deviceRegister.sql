-- V28's function: moves a token another tenant had, which the API's role cannot see.
SELECT token, platform, created_at, retired_at, retired_reason, last_sent_at, created
FROM podflow_device_register(:token, :userId, :platform)
