-- Replaces one "when" of one stored definition version; nothing else of the JSON changes.
UPDATE proc_def
SET definition = jsonb_set(definition, ARRAY['activities', ?, 'next', ?, 'when'], to_jsonb(?::text))
WHERE id = ?
  AND version = ?
