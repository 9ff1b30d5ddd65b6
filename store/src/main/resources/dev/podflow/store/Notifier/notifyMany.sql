-- Sends the notifications in one statement: :channels and :payloads are parallel arrays, one
-- element per (already merged) notification. A statement that only notifies writes no WAL, so the
-- commit's notify lock is held only for a moment (see Notifier).
SELECT count(pg_notify(n.channel, n.payload))
FROM unnest(CAST(:channels AS text[]), CAST(:payloads AS text[])) AS n(channel, payload)
