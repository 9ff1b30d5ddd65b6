SELECT to_regclass('memories_embedding') IS NOT NULL
